import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { m001Initial } from '../../../electron/core/store/migrations/001-initial.ts';
import { m002BundleVersions } from '../../../electron/core/store/migrations/002-bundle-versions.ts';
import { openDatabase, schemaVersion } from '../../../electron/core/store/database.ts';

describe('migration 002: bundle versions', () => {
  it('upgrades a version-1 store: installed bundles become ready and start their version history', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cb-m002-')), 'casebook.sqlite');
    const v1 = openDatabase(path, { migrations: [m001Initial] });
    v1.prepare(
      `INSERT INTO bundles (id, version, title, settings, guidelines, rubric, taxonomy, manifest, manifest_sha256, signer_key_id, signer_label, task_count, created_at, expires_at, imported_at)
       VALUES ('b1', 3, 'B', '{}', '', '{}', '{}', '{}', 'abc', 'k1', 'Org', 2, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', '2026-02-01T00:00:00Z')`,
    ).run();
    v1.close();

    const db = openDatabase(path, { migrations: [m001Initial, m002BundleVersions] });
    try {
      expect(schemaVersion(db)).toBe(2);
      expect(db.prepare('SELECT state FROM bundles').get()).toEqual({ state: 'ready' });
      expect(db.prepare('SELECT bundle_id, version, manifest_sha256, signer_label, task_count, added FROM bundle_versions').all()).toEqual([
        { bundle_id: 'b1', version: 3, manifest_sha256: 'abc', signer_label: 'Org', task_count: 2, added: 2 },
      ]);
      const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks'").all() as { name: string }[]).map((r) => r.name);
      expect(indexes).toContain('tasks_queue');
      expect(indexes).not.toContain('tasks_by_position');
      for (const t of ['import_staging', 'task_revisions', 'annotation_reviews', 'key_rotations']) {
        expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?").get(t)).toEqual({ n: 1 });
      }
      expect(() => db.prepare("UPDATE bundles SET state = 'half'").run()).toThrow(/CHECK constraint/);
    } finally {
      db.close();
    }
  });
});
