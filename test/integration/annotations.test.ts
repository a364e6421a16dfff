import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import type { AnnotationContent } from '../../shared/domain/index.ts';
import { call, callError, coreWithMinimal, tempDir } from '../helpers/workspace.ts';

let t: ReturnType<typeof tempDir>;
let core: Core;
const ref = { bundleId: 'test.minimal', taskId: 't-compare' };

function compare(over: Partial<Extract<AnnotationContent['answer'], { kind: 'compare' }>> = {}): AnnotationContent {
  return {
    answer: { kind: 'compare', preference: null, ranking: null, scores: {}, rationale: '', ...over },
    assumptions: [],
    escalations: [],
    highlights: [],
  };
}

const complete = () =>
  compare({
    preference: { choice: 'r2', strength: 3 },
    scores: { r1: { accuracy: 1, safe: false }, r2: { accuracy: 5, safe: true } },
    rationale: 'r1 ignores the under-50 kg limit.',
  });

beforeEach(async () => {
  t = tempDir();
  ({ core } = await coreWithMinimal(t.dir));
});
afterEach(async () => {
  await core.close();
  t.cleanup();
});

describe('annotation lifecycle', () => {
  it('autosaves a draft that reopens exactly as left, with the annotator, device and bundle version on it', async () => {
    const me = await call(core, 'identity.get', {});
    await call(core, 'annotations.saveDraft', { ...ref, content: compare({ rationale: 'half-written' }), activeMsDelta: 1200 });
    const saved = await call(core, 'annotations.saveDraft', { ...ref, content: compare({ rationale: 'half-written, more' }), activeMsDelta: 800 });
    expect(saved).toMatchObject({ status: 'draft', revision: 1, activeMs: 2000, annotatorId: me!.userId, deviceId: me!.deviceId, bundleVersion: 1 });
    const view = await call(core, 'tasks.open', ref);
    expect(view.status).toBe('draft');
    expect(view.annotation?.content).toEqual(compare({ rationale: 'half-written, more' }));
    expect(view.annotation?.displayOrder).toEqual(view.displayOrder);
  });

  it('survives closing and reopening the store (a restart)', async () => {
    await call(core, 'annotations.saveDraft', { ...ref, content: complete() });
    await core.close();
    core = await Core.open({ dataDir: join(t.dir, 'data'), host: 'web' });
    expect((await call(core, 'tasks.open', ref)).annotation?.content).toEqual(complete());
  });

  it('refuses submission while a required criterion is missing, naming the response as the annotator saw it, and keeps the draft', async () => {
    const content = complete();
    delete (content.answer as { scores: Record<string, Record<string, unknown>> }).scores.r1!.accuracy;
    const err = await callError(core, 'annotations.submit', { ...ref, content });
    expect(err.code).toBe('validation_failed');
    const view = await call(core, 'tasks.open', ref);
    const label = `Response ${String.fromCharCode(65 + view.displayOrder.indexOf('r1'))}`;
    expect(err.issues).toContainEqual({ path: 'answer.scores.r1.accuracy', message: `${label}: Accuracy is required` });
    expect(err.message).toMatch(/Your draft is saved/);
    expect(view.status).toBe('draft');
    expect(view.annotation?.content).toEqual(content);
  });

  it('refuses a preference without strength, a missing rationale, and "cannot judge" without an escalation', async () => {
    const err = await callError(core, 'annotations.submit', { ...ref, content: { ...complete(), answer: { ...complete().answer, preference: { choice: 'r1', strength: null }, rationale: ' ' } as AnnotationContent['answer'] } });
    const paths = err.issues!.map((i) => i.path);
    expect(paths).toContain('answer.preference.strength');
    expect(paths).toContain('answer.rationale');
    const cj = await callError(core, 'annotations.submit', { ...ref, content: compare({ preference: { choice: 'cannot_judge', strength: null }, rationale: 'unsure' }) });
    expect(cj.issues).toContainEqual({ path: 'escalations', message: '"Cannot judge" needs an escalation saying why' });
  });

  it('submits an immutable revision; revising opens revision 2 that supersedes it; history keeps both', async () => {
    const first = await call(core, 'annotations.submit', { ...ref, content: complete(), activeMsDelta: 5000 });
    expect(first).toMatchObject({ status: 'submitted', revision: 1, supersedes: null });
    expect(first.submittedAt).not.toBeNull();
    // Saving over a submitted annotation starts a new revision instead of changing it.
    const draft2 = await call(core, 'annotations.revise', ref);
    expect(draft2).toMatchObject({ status: 'draft', revision: 2, supersedes: first.id });
    expect(draft2.content).toEqual(first.content);
    const changed = complete();
    (changed.answer as { rationale: string }).rationale = 'Second thoughts: both miss hepatic impairment.';
    const second = await call(core, 'annotations.submit', { ...ref, content: changed });
    const hist = await call(core, 'annotations.history', ref);
    expect(hist.map((a) => [a.revision, a.status])).toEqual([
      [1, 'submitted'],
      [2, 'submitted'],
    ]);
    expect(hist[0]).toEqual(first);
    expect(second.displayOrder).toEqual(first.displayOrder);
    const q = await call(core, 'queue.list', { bundleId: 'test.minimal', status: 'submitted' });
    expect(q.items).toMatchObject([{ taskId: 't-compare', status: 'submitted', revision: 2 }]);
  });

  it('discarding a revision draft returns to the last submitted revision', async () => {
    await call(core, 'annotations.submit', { ...ref, content: complete() });
    await call(core, 'annotations.revise', ref);
    expect((await call(core, 'annotations.discardDraft', ref)).discarded).toBe(true);
    const view = await call(core, 'tasks.open', ref);
    expect(view).toMatchObject({ status: 'submitted', annotation: { revision: 1 } });
  });

  it('filters the queue by status with counts, and finds the next task to do', async () => {
    await call(core, 'annotations.saveDraft', { ...ref, content: compare() });
    const all = await call(core, 'queue.list', { bundleId: 'test.minimal' });
    expect(all.counts).toEqual({ todo: 2, draft: 1, submitted: 0, escalated: 0 });
    expect((await call(core, 'queue.list', { bundleId: 'test.minimal', status: 'todo' })).items.map((i) => i.taskId)).toEqual(['t-exemplar', 't-trajectory']);
    expect((await call(core, 'tasks.next', { bundleId: 'test.minimal', afterTaskId: 't-trajectory' })).taskId).toBe('t-exemplar');
    expect((await call(core, 'tasks.next', { bundleId: 'test.minimal', afterTaskId: 't-exemplar', status: 'draft' })).taskId).toBe('t-compare');
    expect((await call(core, 'tasks.next', { bundleId: 'test.minimal', afterTaskId: 't-exemplar', status: 'all', direction: 'backward' })).taskId).toBe('t-compare');
    expect((await call(core, 'tasks.next', { bundleId: 'test.minimal', afterTaskId: 't-compare', status: 'all', direction: 'backward' })).taskId).toBe('t-trajectory');
    expect((await call(core, 'tasks.next', { bundleId: 'test.minimal', status: 'all', direction: 'backward' })).taskId).toBe('t-trajectory');
  });

  it('never shows gold answers or model names to the annotator', async () => {
    const view = await call(core, 'tasks.open', ref);
    expect(JSON.stringify(view)).not.toMatch(/gold|m-a|m-b/);
  });

  it('rejects an answer of the wrong kind for the task', async () => {
    const err = await callError(core, 'annotations.saveDraft', {
      ...ref,
      content: { answer: { kind: 'exemplar', corrected: 'x', draftScores: {}, note: '', errorTypes: [] }, assumptions: [], escalations: [], highlights: [] },
    });
    expect(err).toMatchObject({ code: 'validation_failed' });
  });
});

describe('contract dispatch', () => {
  it('rejects unknown methods and malformed requests with the offending field', async () => {
    expect(await callError(core, 'nope' as never, {})).toMatchObject({ code: 'invalid_request', message: 'Unknown method "nope"' });
    const err = await callError(core, 'annotations.saveDraft', { ...ref, content: { answer: { kind: 'compare' } } });
    expect(err.code).toBe('invalid_request');
    expect(err.issues!.some((i) => i.path.startsWith('content.answer'))).toBe(true);
    expect((await callError(core, 'tasks.open', { bundleId: 'test.minimal', taskId: 'missing' })).code).toBe('not_found');
    expect((await callError(core, 'tasks.open', { bundleId: 'test.minimal', taskId: 't-compare', extra: 1 })).code).toBe('invalid_request');
    // What a person reads names no method and no field id: the first-run empty name says only what to do.
    const empty = await callError(core, 'identity.setup', { displayName: '   ', role: 'annotator' });
    expect(empty).toMatchObject({ code: 'invalid_request', message: 'Enter your name.', issues: [{ path: 'displayName', message: 'Enter your name' }] });
    const two = await callError(core, 'identity.setup', { displayName: '', role: 'boss' });
    expect(two.message).toBe('2 things to fix: Enter your name. Must be one of "annotator", "reviewer" or "admin" (got "boss").');
  });

  it('caps active time a client can claim in one call', async () => {
    expect((await callError(core, 'annotations.saveDraft', { ...ref, content: compare(), activeMsDelta: 24 * 3600 * 1000 })).code).toBe('invalid_request');
  });

  it('asks for setup before anything that needs an identity', async () => {
    const fresh = tempDir();
    const c = await Core.open({ dataDir: fresh.dir, host: 'web' });
    expect(await call(c, 'identity.get', {})).toBeNull();
    expect((await callError(c, 'queue.list', { bundleId: 'x' })).code).toBe('not_set_up');
    await c.close();
    fresh.cleanup();
  });
});

describe('exemplar corrections', () => {
  const ex = { bundleId: 'test.minimal', taskId: 't-exemplar' };
  const content = (corrected: string, confirmedUnchanged = false): AnnotationContent => ({
    answer: { kind: 'exemplar', corrected, draftScores: { accuracy: 1 }, note: 'Deeds have 12 years', errorTypes: [], confirmedUnchanged, diffStats: { wordsAdded: 999, wordsRemoved: 0, wordsChanged: 0 } },
    assumptions: [],
    escalations: [],
    highlights: [],
  });

  it('stores word-level diff statistics computed by the core, not the client', async () => {
    const saved = await call(core, 'annotations.saveDraft', { ...ex, content: content('Twelve years from breach, because it is a deed.') });
    expect(saved.content.answer).toMatchObject({ diffStats: { wordsAdded: 6, wordsRemoved: 0, wordsChanged: 1 } });
  });

  it('refuses to submit the model draft unchanged unless the annotator confirms it needs no change', async () => {
    const err = await callError(core, 'annotations.submit', { ...ex, content: content('Six years from breach.') });
    expect(err.issues).toContainEqual({ path: 'answer.confirmedUnchanged', message: 'The correction is identical to the model draft: confirm that the draft needs no change' });
    const ok = await call(core, 'annotations.submit', { ...ex, content: content('Six years from breach.', true) });
    expect(ok.status).toBe('submitted');
  });
});
