import { describe, expect, it, afterEach } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../electron/core/store/migrations/index.ts';
import { NewerDatabaseError, openDatabase, schemaVersion } from '../../../electron/core/store/database.ts';
import { tempDir } from '../../helpers/workspace.ts';

let cleanup = () => {};
afterEach(() => cleanup());

describe('store and migration runner', () => {
  it('opens with the durability pragmas set', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = openDatabase(join(t.dir, 'a.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('numbers migrations 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('refuses a database written by a newer app and leaves it untouched', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'a.sqlite');
    openDatabase(path).close();
    const raw = new BetterSqlite3(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(path)).toThrow(NewerDatabaseError);
    const after = new BetterSqlite3(path);
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    after.close();
  });

  it('runs a failing migration in a transaction: nothing half-applied', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'a.sqlite');
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', up: (db: BetterSqlite3.Database) => { db.exec('CREATE TABLE half (x INTEGER) STRICT'); throw new Error('boom'); } }];
    expect(() => openDatabase(path, { migrations: broken })).toThrow('boom');
    const db = new BetterSqlite3(path);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
    db.close();
  });
});
