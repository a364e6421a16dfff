import { describe, expect, it } from 'vitest';
import { NewerServerDatabaseError, SERVER_MIGRATIONS } from '../../../server/storage/migrations/index.ts';
import { BACKENDS, serverDbPerTest } from '../../support/server-db.ts';

describe.each(BACKENDS)('server migrations (%s)', (kind) => {
  const fresh = serverDbPerTest(kind);

  it('are numbered 1..n without gaps, each written for both dialects', () => {
    expect(SERVER_MIGRATIONS.map((m) => m.version)).toEqual(SERVER_MIGRATIONS.map((_, i) => i + 1));
    for (const m of SERVER_MIGRATIONS) expect([m.sqlite.trim().length > 0, m.postgres.trim().length > 0]).toEqual([true, true]);
  });

  it('bring a new database to the latest version', async () => {
    const db = await fresh();
    await db.migrate(SERVER_MIGRATIONS);
    expect(await db.version()).toBe(SERVER_MIGRATIONS.length);
  });

  it('refuse a database written by a newer server and leave it untouched', async () => {
    const db = await fresh();
    await db.migrate(SERVER_MIGRATIONS);
    const newer = SERVER_MIGRATIONS.length + 1;
    await db.exec(kind === 'sqlite' ? `PRAGMA user_version = ${newer}` : `UPDATE meta SET value = '${newer}' WHERE key = 'schema_version'`);
    await db.reopen();
    const err = await db.migrate(SERVER_MIGRATIONS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NewerServerDatabaseError);
    expect((err as Error).message).toMatch(new RegExp(`server schema ${newer}; this server knows up to ${SERVER_MIGRATIONS.length}\\. Update Casebook`));
    expect(await db.version()).toBe(newer);
  });

  it('run each migration in its own transaction: a failing one leaves nothing half-applied', async () => {
    const db = await fresh();
    const broken = { version: SERVER_MIGRATIONS.length + 1, name: 'broken', sqlite: 'CREATE TABLE half (x INTEGER); SELECT no_such_function();', postgres: 'CREATE TABLE half (x INTEGER); SELECT no_such_function();' };
    await expect(db.migrate([...SERVER_MIGRATIONS, broken])).rejects.toThrow(/no_such_function|no such function/);
    expect(await db.version()).toBe(SERVER_MIGRATIONS.length);
    expect(await db.tables()).not.toContain('half');
  });

  it.skipIf(kind === 'sqlite')('let several servers start at once on one database: each migration is applied once', async () => {
    const db = await fresh();
    const { PostgresStorage } = await import('../../../server/storage/postgres.ts');
    const others = [1, 2, 3].map(() => new PostgresStorage(db.pgUrl!));
    await Promise.all(others.map((s) => s.migrate()));
    await Promise.all(others.map((s) => s.close()));
    expect(await db.version()).toBe(SERVER_MIGRATIONS.length);
  });
});
