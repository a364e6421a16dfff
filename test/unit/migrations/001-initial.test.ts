import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { MIGRATIONS } from '../../../electron/core/store/migrations/index.ts';
import { openDatabase } from '../../../electron/core/store/database.ts';
import { tempDir } from '../../helpers/workspace.ts';

let cleanup = () => {};
afterEach(() => cleanup());

describe('migration 001: initial schema', () => {
  it('creates strict tables and makes submitted annotations immutable', () => {
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

});
