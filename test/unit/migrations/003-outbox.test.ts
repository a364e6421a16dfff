import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../electron/core/store/database.ts';
import { MIGRATIONS } from '../../../electron/core/store/migrations/index.ts';
import { tempDir } from '../../helpers/workspace.ts';

describe('migration 003: outbox, sealed batches, enrolment', () => {
  it('upgrades a version-2 store with data in it, and sealed batches are immutable', () => {
    const tmp = tempDir();
    try {
      const path = `${tmp.dir}/casebook.sqlite`;
      const v1 = new BetterSqlite3(path);
      migrate(v1, MIGRATIONS.slice(0, 2));
      v1.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
      v1.close();
      const db = openDatabase(path, { migrations: MIGRATIONS.slice(0, 3) });
      expect(db.pragma('user_version', { simple: true })).toBe(3);
      expect(db.prepare("SELECT value FROM settings WHERE key = 'k'").get()).toEqual({ value: 'v' });
      db.prepare("INSERT INTO outbox (kind, record_id, body, enqueued_at) VALUES ('annotation', 'r1', '{}', 'now')").run();
      db.prepare(
        "INSERT INTO sync_batches (seq, device_id, prev_hash, created_at, payload_sha256, first_outbox_id, last_outbox_id, record_count, state) VALUES (1, 'd', 'x', 'now', 'p', 1, 1, 1, 'sealed')",
      ).run();
      expect(() => db.prepare("UPDATE outbox SET body = '{\"x\":1}'").run()).toThrow(/immutable/);
      expect(() => db.prepare('DELETE FROM outbox').run()).toThrow(/cannot be deleted/);
      expect(() => db.prepare("UPDATE sync_batches SET prev_hash = 'y' WHERE seq = 1").run()).toThrow(/immutable/);
      expect(() => db.prepare('DELETE FROM sync_batches').run()).toThrow(/cannot be deleted/);
      db.prepare("INSERT INTO sync_batch_files (seq, envelope) VALUES (1, x'03')").run();
      db.prepare("UPDATE sync_batches SET hash = 'h', state = 'signed' WHERE seq = 1").run();
      expect(() => db.prepare("UPDATE sync_batches SET hash = 'h2' WHERE seq = 1").run()).toThrow(/never re-signed/);
      expect(() => db.prepare("UPDATE sync_batch_files SET envelope = x'04'").run()).toThrow(/never re-signed/);
      expect(() => db.prepare("UPDATE sync_batches SET state = 'sent' WHERE seq = 1").run()).toThrow(/CHECK/);
      db.close();
    } finally {
      tmp.cleanup();
    }
  });
});
