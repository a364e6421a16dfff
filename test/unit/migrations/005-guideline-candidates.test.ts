import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../electron/core/store/database.ts';
import { MIGRATIONS } from '../../../electron/core/store/migrations/index.ts';
import { tempDir } from '../../helpers/workspace.ts';

describe('migration 005: guideline candidates', () => {
  it('upgrades a version-4 store with data in it; one candidate per assumption of an annotation, never an empty one', () => {
    const tmp = tempDir();
    try {
      const path = `${tmp.dir}/casebook.sqlite`;
      const v4 = new BetterSqlite3(path);
      migrate(v4, MIGRATIONS.slice(0, 4));
      v4.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
      v4.close();
      const db = openDatabase(path, { migrations: MIGRATIONS.slice(0, 5) });
      expect(db.pragma('user_version', { simple: true })).toBe(5);
      expect(db.prepare("SELECT value FROM settings WHERE key = 'k'").get()).toEqual({ value: 'v' });
      const insert = db.prepare('INSERT INTO guideline_candidates (bundle_id, annotation_id, assumption_id, task_id, category, text, marked_by, marked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      insert.run('b', 'a1', 'as1', 't1', 'patient', 'Assumed an adult.', 'Rita', '2026-05-01T00:00:00Z');
      // The same assumption id in another annotation is another candidate.
      insert.run('b', 'a2', 'as1', 't1', 'patient', 'Assumed an adult.', 'Rita', '2026-05-01T00:00:00Z');
      expect(() => insert.run('b', 'a1', 'as1', 't1', 'patient', 'Again.', 'Rita', 'now')).toThrow(/UNIQUE|PRIMARY KEY/);
      expect(() => insert.run('b', 'a3', 'as1', 't1', 'patient', '', 'Rita', 'now')).toThrow(/CHECK/);
      expect(db.prepare('SELECT COUNT(*) AS n FROM guideline_candidates').get()).toEqual({ n: 2 });
      db.close();
    } finally {
      tmp.cleanup();
    }
  });
});
