import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../shared/node/bundle/index.ts';
import { generateKeyPair } from '../../../shared/node/keys.ts';
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
