import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BundleVersionView, FlaggedAnnotationView, ImportResultView, QueueItem } from '../../shared/contract/index.ts';
import { BUNDLE_ID, goodFiles, signedBy, TEST_NOW } from '../fixtures/hostile/corpus.ts';
import { ORG_KEY } from '../support/fixture-keys.ts';
import { workstation, type Workstation } from '../support/workstation.ts';

const MINIMAL_TASKS = goodFiles(1)['tasks.jsonl']!.toString('utf8').trim().split('\n');
const [COMPARE, EXEMPLAR] = MINIMAL_TASKS as [string, string, string];

/** Version 2: the exemplar's draft changed, the trajectory dropped, one task added, the compare task untouched. */
const V2_TASKS = [
  COMPARE,
  EXEMPLAR.replace('Six years from breach.', 'Twelve years from breach.'),
  JSON.stringify({ id: 't-new', kind: 'exemplar', context: [{ role: 'user', content: 'New question?' }], draft: 'New draft.' }),
].join('\n');

const exemplarContent = (corrected: string) => ({ answer: { kind: 'exemplar', corrected, draftScores: { accuracy: 4 }, note: '', errorTypes: [] } });
const trajectoryContent = { answer: { kind: 'trajectory', steps: [], firstErrorStepId: null, outcome: null, scores: {}, rationale: '' } };

describe('a newer bundle version updates tasks in place', () => {
  let ws: Workstation;
  let dir: string;
  const call = async <T>(method: string, req: unknown): Promise<T> => {
    const r = await ws.core.call(method, req);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.result as T;
  };
  const bundleFile = (version: number, tasks?: string) => {
    const path = join(dir, `v${version}.cbundle`);
    writeFileSync(path, signedBy(ORG_KEY.privateJwk, goodFiles(version, tasks !== undefined ? { tasks } : {}), version));
    return path;
  };

  beforeEach(async () => {
    ws = await workstation({ now: TEST_NOW, trust: [{ jwk: ORG_KEY.publicJwk, label: 'Org' }] });
    dir = mkdtempSync(join(tmpdir(), 'cb-versions-'));
    await call('bundles.importFile', { path: bundleFile(1) });
    await call('identity.setup', { displayName: 'Ada', role: 'annotator' });
    await call('annotations.submit', { bundleId: BUNDLE_ID, taskId: 't-exemplar', content: exemplarContent('Twelve years for a deed.') });
    await call('annotations.saveDraft', { bundleId: BUNDLE_ID, taskId: 't-trajectory', content: trajectoryContent });
  });
  afterEach(() => ws.dispose());

  it('keeps annotations, flags those whose task changed, retires annotated dropped tasks and records the version', async () => {
    const r = await call<ImportResultView>('bundles.importFile', { path: bundleFile(2, V2_TASKS) });
    expect(r).toMatchObject({ outcome: 'updated', version: 2, taskCount: 3, changes: { added: 1, changed: 1, removed: 1, flagged: 1 } });

    const queue = await call<{ items: QueueItem[] }>('queue.list', { bundleId: BUNDLE_ID });
    expect(queue.items.map((i) => [i.taskId, i.status])).toEqual([
      ['t-compare', 'todo'],
      ['t-exemplar', 'submitted'],
      ['t-new', 'todo'],
    ]);
    const byStatus = async (status: string) => (await call<{ items: QueueItem[]; total: number }>('queue.list', { bundleId: BUNDLE_ID, status })).items.map((i) => i.taskId);
    expect(await byStatus('submitted')).toEqual(['t-exemplar']);
    expect(await byStatus('todo')).toEqual(['t-compare', 't-new']);
    expect(await byStatus('draft')).toEqual([]); // the retired task's draft is kept but not queued
    // The changed task shows its new content, with the submitted work still attached and flagged.
    const opened = await call<{ task: { draft: string }; annotation: { status: string; taskHash: string } | null; bundleVersion: number }>('tasks.open', {
      bundleId: BUNDLE_ID,
      taskId: 't-exemplar',
    });
    expect(opened.task.draft).toBe('Twelve years from breach.');
    expect(opened.annotation?.status).toBe('submitted');
    expect(await call<FlaggedAnnotationView[]>('bundles.flagged', { bundleId: BUNDLE_ID })).toEqual([
      { taskId: 't-exemplar', fromVersion: 1, toVersion: 2, flaggedAt: TEST_NOW.toISOString() },
    ]);
    // The content the annotation was made against is kept for the reviewer.
    const old = ws.core.ctx.db.prepare('SELECT body, bundle_version FROM task_revisions WHERE bundle_id = ? AND task_id = ?').get(BUNDLE_ID, 't-exemplar') as { body: string; bundle_version: number };
    expect(old.bundle_version).toBe(1);
    expect(old.body).toContain('Six years from breach.');
    // The dropped task is out of the queue but its draft is not orphaned.
    const dropped = await call<{ annotation: { status: string } | null }>('tasks.open', { bundleId: BUNDLE_ID, taskId: 't-trajectory' });
    expect(dropped.annotation?.status).toBe('draft');

    const versions = await call<BundleVersionView[]>('bundles.versions', { bundleId: BUNDLE_ID });
    expect(versions.map((v) => [v.version, v.added, v.changed, v.removed, v.flagged])).toEqual([
      [2, 1, 1, 1, 1],
      [1, 3, 0, 0, 0],
    ]);
  });

  it('an unchanged task keeps its annotations unflagged, and a new submission clears a flag', async () => {
    await call('annotations.saveDraft', { bundleId: BUNDLE_ID, taskId: 't-compare', content: { answer: { kind: 'compare', preference: null, scores: {}, rationale: '' } } });
    await call('bundles.importFile', { path: bundleFile(2, V2_TASKS) });
    const flagged = await call<FlaggedAnnotationView[]>('bundles.flagged', { bundleId: BUNDLE_ID });
    expect(flagged.map((f) => f.taskId)).toEqual(['t-exemplar']);
    await call('annotations.revise', { bundleId: BUNDLE_ID, taskId: 't-exemplar' });
    await call('annotations.submit', { bundleId: BUNDLE_ID, taskId: 't-exemplar', content: exemplarContent('Twelve years for a deed; six for a simple contract.') });
    expect(await call('bundles.flagged', { bundleId: BUNDLE_ID })).toEqual([]);
  });

  it('re-importing the installed version changes nothing', async () => {
    expect(await call<ImportResultView>('bundles.importFile', { path: bundleFile(1) })).toMatchObject({ outcome: 'unchanged', changes: null });
  });
});
