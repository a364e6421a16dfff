import pg from 'pg';
import { afterEach } from 'vitest';
import { SqliteStorage } from '../../server/storage/sqlite.ts';
import { PostgresStorage } from '../../server/storage/postgres.ts';
import type { ServerMigration } from '../../server/storage/migrations/index.ts';
import { BACKENDS, freshPgDatabase, tempDir } from '../integration/sync/helpers.ts';

export { BACKENDS };

/** A server database of either kind opened for a migration test, with raw SQL beside the storage. */
export interface ServerDb {
  kind: 'sqlite' | 'postgres';
  /** The connection URL of a PostgreSQL database, for a second storage on it. */
  pgUrl: string | null;
  storage: SqliteStorage | PostgresStorage;
  migrate(migrations: readonly ServerMigration[]): Promise<void>;
  version(): Promise<number>;
  tables(): Promise<string[]>;
  columns(table: string): Promise<string[]>;
  /** Literal SQL only (no parameters): the same text must run on both dialects. */
  exec(sql: string): Promise<void>;
  rows<T>(sql: string): Promise<T[]>;
  /** Closes the storage (the database is kept) and opens it again, as a restarted server would. */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export async function openServerDb(kind: 'sqlite' | 'postgres'): Promise<ServerDb> {
  if (kind === 'sqlite') {
    const tmp = tempDir('cb-srvmig-');
    const path = `${tmp.dir}/server.sqlite`;
    let storage = new SqliteStorage(path);
    const db: ServerDb = {
      kind,
      pgUrl: null,
      get storage() {
        return storage;
      },
      migrate: (m) => storage.migrate(m),
      version: async () => storage.db.pragma('user_version', { simple: true }) as number,
      tables: async () => (storage.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]),
      columns: async (t) => (storage.db.prepare(`SELECT name FROM pragma_table_info('${t}') ORDER BY cid`).pluck().all() as string[]),
      exec: async (sql) => void storage.db.exec(sql),
      rows: async <T>(sql: string) => storage.db.prepare(sql).all() as T[],
      reopen: async () => {
        await storage.close();
        storage = new SqliteStorage(path);
      },
      close: async () => {
        await storage.close();
        tmp.cleanup();
      },
    };
    return db;
  }
  const fresh = await freshPgDatabase();
  let storage = new PostgresStorage(fresh.url);
  const raw = new pg.Pool({ connectionString: fresh.url, max: 2 });
  // The forced DROP at the end terminates any connection still open on the database; an idle
  // client's "terminating connection" must not surface as an uncaught error (the storage's own
  // pool ignores it the same way).
  raw.on('error', () => undefined);
  return {
    kind,
    pgUrl: fresh.url,
    get storage() {
      return storage;
    },
    migrate: (m) => storage.migrate(m),
    version: () => storage.schemaVersion(),
    tables: async () => (await raw.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).rows.map((r) => r.t),
    columns: async (t) =>
      (await raw.query<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '${t}' ORDER BY ordinal_position`)).rows.map((r) => r.c),
    exec: async (sql) => void (await raw.query(sql)),
    rows: async <T>(sql: string) => (await raw.query(sql)).rows as T[],
    reopen: async () => {
      await storage.close();
      storage = new PostgresStorage(fresh.url);
    },
    close: async () => {
      await storage.close();
      await raw.end();
      await fresh.drop();
    },
  };
}

/** For a describe block: each call opens a fresh server database, closed after the test. */
export function serverDbPerTest(kind: 'sqlite' | 'postgres'): () => Promise<ServerDb> {
  let db: ServerDb | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });
  return async () => (db = await openServerDb(kind));
}
