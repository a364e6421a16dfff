import { describe, expect, it, afterEach } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION } from '../../electron/core/store/migrations/index.ts';
import { NewerDatabaseError, openDatabase, schemaVersion } from '../../electron/core/store/database.ts';
import { tempDir } from '../helpers/workspace.ts';

let cleanup = () => {};
afterEach(() => cleanup());

describe('store and migrations', () => {
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

  it('migration 001 creates strict tables and makes submitted annotations immutable', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = openDatabase(join(t.dir, 'a.sqlite'), { migrations: MIGRATIONS.slice(0, 1) });
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string }[];
    for (const name of ['identity', 'trusted_keys', 'bundles', 'tasks', 'annotations', 'task_state', 'settings']) {
      const t = tables.find((x) => x.name === name);
      expect(t, name).toBeDefined();
      expect(t!.sql).toMatch(/STRICT/);
    }
    db.prepare("INSERT INTO bundles VALUES ('b', 1, 't', NULL, '{}', '', '{}', '{}', '{}', 'h', 'k', 'l', 0, 1, 'c', 'e', 'i')").run();
    db.prepare("INSERT INTO tasks (bundle_id, task_id, position, kind, title, body, hash, bundle_version) VALUES ('b', 't1', 0, 'compare', 't', '{}', 'h', 1)").run();
    db.prepare("INSERT INTO annotations (id, bundle_id, task_id, annotator_id, revision, status, body, updated_at) VALUES ('a1', 'b', 't1', 'u', 1, 'submitted', '{}', 'now')").run();
    expect(() => db.prepare("UPDATE annotations SET body = '{\"x\":1}' WHERE id = 'a1'").run()).toThrow(/immutable/);
    expect(() => db.prepare("DELETE FROM annotations WHERE id = 'a1'").run()).toThrow(/cannot be deleted/);
    // STRICT: a wrong type is refused instead of silently stored.
    expect(() => db.prepare("INSERT INTO tasks (bundle_id, task_id, position, kind, title, body, hash, bundle_version) VALUES ('b', 't2', 'x', 'compare', 't', '{}', 'h', 1)").run()).toThrow();
    // Foreign keys are on: no annotation for a task that does not exist.
    expect(() => db.prepare("INSERT INTO annotations (id, bundle_id, task_id, annotator_id, revision, status, body, updated_at) VALUES ('a2', 'b', 'nope', 'u', 1, 'draft', '{}', 'now')").run()).toThrow(/FOREIGN KEY/);
    db.close();
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
