import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Response } from '../../shared/contract/index.ts';
import { MANIFEST_ENTRY } from '../../shared/node/bundle/layout.ts';
import { BUNDLE_ID, envelopeFor, goodFiles, manifestOf, TEST_NOW } from '../fixtures/hostile/corpus.ts';
import { ORG_KEY } from '../support/fixture-keys.ts';
import { rawZip } from '../support/raw-zip.ts';
import { workstation, type Workstation } from '../support/workstation.ts';

const OTHER = 'other.bundle';
const TASKS = goodFiles(1)['tasks.jsonl']!.toString('utf8').trim().split('\n') as [string, string, string];
/** The exemplar task's draft as of each version: every version after 1 changes it. */
const tasksAt = (version: number) => [TASKS[0], TASKS[1].replace('Six years from breach.', `Six years from breach (v${version}).`), TASKS[2]].join('\n') + '\n';
const exemplar = (corrected: string) => ({ answer: { kind: 'exemplar', corrected, draftScores: { accuracy: 4 }, note: '', errorTypes: [] } });

/** A signed bundle `id` at `version`; `id` other than the corpus bundle gets its own title. */
function bundle(dir: string, id: string, version: number): string {
  const title = id === BUNDLE_ID ? 'Hostile corpus base' : 'Other bundle';
  const files = goodFiles(version, { tasks: tasksAt(version), title, settings: { id } });
  const manifest = manifestOf(files, version, { bundleId: id, title });
  const path = join(dir, `${id}-v${version}.cbundle`);
  const entries = Object.entries(files).map(([name, data]) => ({ name, data }));
  writeFileSync(path, rawZip([{ name: MANIFEST_ENTRY, data: Buffer.from(JSON.stringify(envelopeFor(manifest))) }, ...entries]));
  return path;
}

describe('reviews.flagged: work kept across content changes, across every bundle', () => {
  let ws: Workstation;
  let dir: string;
  const call = async <M extends string>(method: M, req: unknown): Promise<M extends 'reviews.flagged' ? Response<'reviews.flagged'> : unknown> => {
    const r = await ws.core.call(method, req);
    if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
    return r.result as M extends 'reviews.flagged' ? Response<'reviews.flagged'> : unknown;
  };

  beforeEach(async () => {
    ws = await workstation({ now: TEST_NOW, trust: [{ jwk: ORG_KEY.publicJwk, label: 'Org' }], role: 'reviewer' });
    dir = mkdtempSync(join(tmpdir(), 'cb-flagged-'));
    for (const id of [BUNDLE_ID, OTHER]) {
      await call('bundles.importFile', { path: bundle(dir, id, 1) });
      await call('annotations.submit', { bundleId: id, taskId: 't-exemplar', content: exemplar('Twelve years for a deed.') });
    }
  });
  afterEach(() => ws.dispose());

  it('lists flagged work from every bundle, with what a reviewer needs to open it', async () => {
    expect(await call('reviews.flagged', {})).toEqual({ items: [], total: 0 });
    await call('bundles.importFile', { path: bundle(dir, BUNDLE_ID, 2) });
    await call('bundles.importFile', { path: bundle(dir, OTHER, 2) });
    const all = await call('reviews.flagged', {});
    expect(all.total).toBe(2);
    expect(all.items.map((f) => [f.bundleId, f.taskId]).sort()).toEqual([
      [OTHER, 't-exemplar'],
      [BUNDLE_ID, 't-exemplar'],
    ].sort());
    expect(all.items.find((f) => f.bundleId === OTHER)).toEqual({
      bundleId: OTHER,
      bundleTitle: 'Other bundle',
      taskId: 't-exemplar',
      taskTitle: expect.any(String),
      kind: 'exemplar',
      annotatorId: expect.any(String),
      annotatorName: 'Test reviewer',
      fromVersion: 1,
      toVersion: 2,
      flaggedAt: TEST_NOW.toISOString(),
      retired: false,
    });
    // One bundle only, and paging.
    expect((await call('reviews.flagged', { bundleId: OTHER })).items.map((f) => f.bundleId)).toEqual([OTHER]);
    expect(await call('reviews.flagged', { limit: 1 })).toMatchObject({ total: 2, items: [expect.anything()] });
  });

  it('two updates in a row are one item spanning both; revising and submitting clears it', async () => {
    await call('bundles.importFile', { path: bundle(dir, BUNDLE_ID, 2) });
    await call('bundles.importFile', { path: bundle(dir, BUNDLE_ID, 3) });
    expect((await call('reviews.flagged', {})).items).toMatchObject([{ bundleId: BUNDLE_ID, fromVersion: 1, toVersion: 3 }]);
    await call('annotations.revise', { bundleId: BUNDLE_ID, taskId: 't-exemplar' });
    await call('annotations.submit', { bundleId: BUNDLE_ID, taskId: 't-exemplar', content: exemplar('Twelve years for a deed, checked against v3.') });
    expect(await call('reviews.flagged', {})).toEqual({ items: [], total: 0 });
  });

  it('is refused to an annotator with a typed error', async () => {
    await call('identity.setup', { displayName: 'Ada', role: 'annotator' });
    expect(await ws.core.call('reviews.flagged', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
