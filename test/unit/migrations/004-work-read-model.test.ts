import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../electron/core/store/database.ts';
import { MIGRATIONS } from '../../../electron/core/store/migrations/index.ts';
import { BATCH_FORMAT, BATCH_PAYLOAD_TYPE, GENESIS_HASH } from '../../../shared/domain/index.ts';
import { signEnvelope } from '../../../shared/node/dsse.ts';
import { sha256Hex } from '../../../shared/node/hash.ts';
import { generateKeyPair } from '../../../shared/node/keys.ts';
import { tempDir } from '../../helpers/workspace.ts';

describe('migration 004: received bodies, adjudications, review index', () => {
  it('fills the bodies of records received before it from their batch envelopes', () => {
    const tmp = tempDir();
    try {
      const path = `${tmp.dir}/casebook.sqlite`;
      const v3 = new BetterSqlite3(path);
      migrate(v3, MIGRATIONS.slice(0, 3));
      const { privateJwk, publicJwk } = generateKeyPair();
      const rec = { id: '7f1c1a52-9a57-4a51-9f43-7a3f0e0c1d01', revision: 2, supersedes: '7f1c1a52-9a57-4a51-9f43-7a3f0e0c1d00', taskHash: 'a'.repeat(64), content: { note: 'x' } };
      const payload = { format: BATCH_FORMAT, deviceId: 'dev-a', seq: 1, prevHash: GENESIS_HASH, createdAt: '2026-01-01T00:00:00.000Z', records: [{ type: 'annotation', record: rec }] };
      const envelope = Buffer.from(JSON.stringify(signEnvelope(BATCH_PAYLOAD_TYPE, Buffer.from(JSON.stringify(payload)), privateJwk)));
      v3.prepare("INSERT INTO known_devices VALUES ('dev-a', 'k', ?, 'u', 'Ann', 'annotator', NULL, 'now')").run(JSON.stringify(publicJwk));
      v3.prepare("INSERT INTO received_batches VALUES ('dev-a', 1, ?, ?, 1, 'now')").run(sha256Hex(envelope), envelope);
      v3.prepare("INSERT INTO received_records VALUES (?, 'annotation', 'dev-a', 1, 0, 'u', 'Ann', 'b', 1, 't')").run(rec.id);
      v3.close();

      const db = openDatabase(path, { migrations: MIGRATIONS.slice(0, 4) });
      expect(db.pragma('user_version', { simple: true })).toBe(4);
      const row = db.prepare('SELECT body, revision, supersedes, task_hash, issues FROM received_records WHERE id = ?').get(rec.id) as Record<string, unknown>;
      expect(JSON.parse(row['body'] as string)).toEqual(rec);
      expect(row).toMatchObject({ revision: 2, supersedes: rec.supersedes, task_hash: 'a'.repeat(64), issues: null });

      // Submitted adjudications are evidence, like submitted annotations.
      db.prepare("INSERT INTO adjudications VALUES ('j1', 'b', 't', 'u', 1, NULL, 'h', 1, '{}', 'now')").run();
      expect(() => db.prepare("UPDATE adjudications SET body = '{\"x\":1}'").run()).toThrow(/immutable/);
      expect(() => db.prepare('DELETE FROM adjudications').run()).toThrow(/cannot be deleted/);
      expect(() => db.prepare("INSERT INTO review_index VALUES ('b', 't', 0, 'compare', 2, 1.5, '{}', 0, 0, 0, 0, 'maybe', NULL, 'now')").run()).toThrow(/CHECK/);
      db.close();
    } finally {
      tmp.cleanup();
    }
  });
});
