import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { buildBundle } from '../../../shared/node/bundle/index.ts';
import { generateKeyPair } from '../../../shared/node/keys.ts';
import { migrate, openDatabase } from '../../../electron/core/store/database.ts';
import { MIGRATIONS } from '../../../electron/core/store/migrations/index.ts';
import type { Core } from '../../../electron/core/core.ts';
import { openWorkstation, tempDir } from './helpers.ts';

const MINIMAL = fileURLToPath(new URL('../../fixtures/bundle-src/minimal', import.meta.url));
const exemplar = (corrected: string, accuracy: number | null) => ({
  answer: { kind: 'exemplar' as const, corrected, draftScores: accuracy === null ? {} : { accuracy }, note: '', errorTypes: [] },
});

describe('outbox', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  beforeEach(async () => {
    tmp = tempDir();
    const { privateJwk, publicJwk } = generateKeyPair();
    await buildBundle({ sourceDir: MINIMAL, key: privateJwk, outFile: `${tmp.dir}/b.cbundle` });
    ({ core } = await openWorkstation(`${tmp.dir}/ws`));
    await core.importBundle(`${tmp.dir}/b.cbundle`, { trusted: [{ jwk: publicJwk, label: 'test', bundlePrefix: null }] });
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  const outbox = () => core.ctx.db.prepare('SELECT kind, record_id, body FROM outbox').all() as { kind: string; record_id: string; body: string }[];

  it('a submission lands in the outbox with the submitted record; drafts and refused submissions do not', async () => {
    const ref = { bundleId: 'test.minimal', taskId: 't-exemplar' };
    expect((await core.call('annotations.saveDraft', { ...ref, content: exemplar('draft text', null) })).ok).toBe(true);
    const refused = await core.call('annotations.submit', { ...ref, content: exemplar('   ', null) });
    expect(refused.ok).toBe(false);
    expect(outbox()).toEqual([]);
    const ok = await core.call('annotations.submit', { ...ref, content: exemplar('Twelve years from breach for a deed.', 4) });
    if (!ok.ok) throw new Error(ok.error.message);
    const rows = outbox();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'annotation', record_id: (ok.result as { id: string }).id });
    expect(JSON.parse(rows[0]!.body)).toEqual(ok.result);
    // A revision is a new record with its own outbox entry.
    await core.call('annotations.revise', ref);
    await core.call('annotations.submit', { ...ref, content: exemplar('Twelve years from the breach, for a deed.', 5) });
    expect(outbox()).toHaveLength(2);
  });

  it('if queueing fails the submission is rolled back too: submitted if and only if queued', async () => {
    const ref = { bundleId: 'test.minimal', taskId: 't-exemplar' };
    core.ctx.db.exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;");
    const res = await core.call('annotations.submit', { ...ref, content: exemplar('Twelve years.', 4) });
    expect(res.ok).toBe(false);
    const states = core.ctx.db.prepare('SELECT status FROM annotations').all() as { status: string }[];
    expect(states).toEqual([{ status: 'draft' }]);
  });
});

describe('migration 003-outbox', () => {
  it('upgrades a version-2 store with data in it, and sealed batches are immutable', () => {
    const tmp = tempDir();
    try {
      const path = `${tmp.dir}/casebook.sqlite`;
      const v1 = new BetterSqlite3(path);
      migrate(v1, MIGRATIONS.slice(0, 2));
      v1.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
      v1.close();
      const db = openDatabase(path);
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
