import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from './app.ts';
import { ensureAdminToken } from './admin-auth.ts';
import { loadReceiptKey } from './server-key.ts';
import { SqliteStorage } from './storage/sqlite.ts';
import type { SyncStorage } from './storage/types.ts';

export interface ServerOptions {
  dataDir: string;
  /**
   * PostgreSQL instead of the embedded SQLite file. The receipt key still lives in dataDir, and
   * the database records its id: several processes on one database need the same key file.
   */
  databaseUrl?: string;
  host?: string;
  port?: number;
  logLevel?: string | false;
  rateLimit?: AppOptions['rateLimit'];
  bodyLimit?: number;
  crashAfterCommitSeq?: number;
  /** Called once with the admin token if this start created it. */
  onAdminToken?: (token: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  storage: SyncStorage;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function openStorage(dataDir: string, databaseUrl?: string): Promise<SyncStorage> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let storage: SyncStorage;
  if (databaseUrl) {
    const { PostgresStorage } = await import('./storage/postgres.ts');
    storage = new PostgresStorage(databaseUrl);
  } else {
    storage = new SqliteStorage(join(dataDir, 'server.sqlite'));
  }
  try {
    await storage.migrate();
  } catch (e) {
    await storage.close();
    throw e;
  }
  return storage;
}

/** One command runs the server: storage opened and migrated, keys made on first start, HTTP up. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const dataDir = resolve(opts.dataDir);
  const storage = await openStorage(dataDir, opts.databaseUrl);
  try {
    const serverKey = await loadReceiptKey(storage, dataDir);
    const admin = await ensureAdminToken(storage);
    if (admin) opts.onAdminToken?.(admin);
    const app = await buildApp({
      storage,
      serverKey,
      logLevel: opts.logLevel ?? 'info',
      ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
      ...(opts.bodyLimit ? { bodyLimit: opts.bodyLimit } : {}),
      ...(opts.crashAfterCommitSeq ? { crashAfterCommitSeq: opts.crashAfterCommitSeq } : {}),
    });
    // Fastify logs "Server listening at …" as a JSON line; whoever starts the server says where it
    // listens in words (the CLI does), so that line would only come first and unreadable.
    const level = app.log.level;
    app.log.level = 'warn';
    try {
      await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
    } finally {
      app.log.level = level;
    }
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 0);
    const host = (opts.host ?? '127.0.0.1').includes(':') ? `[${opts.host}]` : (opts.host ?? '127.0.0.1');
    return {
      url: `http://${host}:${port}`,
      port,
      storage,
      app,
      close: async () => {
        await app.close();
        await storage.close();
      },
    };
  } catch (e) {
    await storage.close();
    throw e;
  }
}
