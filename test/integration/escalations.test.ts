import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import type { AnnotationContent, Escalation } from '../../shared/domain/index.ts';
import { buildBundle } from '../../shared/node/bundle/index.ts';
import { call, callError, coreWithMinimal, MINIMAL_SRC, orgKey, tempDir } from '../helpers/workspace.ts';

let t: ReturnType<typeof tempDir>;
let core: Core;
const ref = { bundleId: 'test.minimal', taskId: 't-compare' };
const escalation = (over: Partial<Escalation> = {}): Escalation => ({
  id: 'e1',
  reason: 'unsafe_advice',
  severity: 'critical',
  note: 'r1 would overdose a 45 kg patient',
  scope: { type: 'response', responseId: 'r1' },
  ...over,
});
const empty = (over: Partial<AnnotationContent> = {}): AnnotationContent => ({
  answer: { kind: 'compare', preference: null, ranking: null, scores: {}, rationale: '' },
  assumptions: [],
  escalations: [],
  highlights: [],
  ...over,
});

beforeEach(async () => {
  t = tempDir();
  ({ core } = await coreWithMinimal(t.dir));
});
afterEach(async () => {
  await core.close();
  t.cleanup();
});

describe('escalations', () => {
  it('lets an annotator escalate without an answer when the bundle allows it; the task leaves the to-do list as escalated', async () => {
    const submitted = await call(core, 'annotations.submit', { ...ref, content: empty({ escalations: [escalation()] }) });
    expect(submitted.status).toBe('submitted');
    const q = await call(core, 'queue.list', { bundleId: 'test.minimal' });
    expect(q.counts).toEqual({ todo: 2, draft: 0, submitted: 0, escalated: 1 });
    // "All" counts and lists the escalated task too: its total is the number of rows.
    expect(q.total).toBe(3);
    expect(q.items).toHaveLength(3);
    expect((await call(core, 'queue.list', { bundleId: 'test.minimal', status: 'escalated' })).items.map((i) => i.taskId)).toEqual(['t-compare']);
    expect((await call(core, 'tasks.open', ref)).status).toBe('escalated');
    const [summary] = await call(core, 'bundles.list', {});
    expect(summary!.escalations).toEqual({ total: 1, highSeverity: 1 });
  });

  it('still refuses wrong content when escalating: unknown reason, unknown response in scope', async () => {
    const err = await callError(core, 'annotations.submit', {
      ...ref,
      content: empty({ escalations: [escalation({ reason: 'made_up', scope: { type: 'response', responseId: 'r9' } })] }),
    });
    expect(err.issues).toEqual(
      expect.arrayContaining([
        { path: 'escalations[0].reason', message: 'Unknown escalation reason "made_up"' },
        { path: 'escalations[0].scope', message: 'Unknown response "r9"' },
      ]),
    );
  });

  it('requires a full answer with the escalation when the bundle says so', async () => {
    const src = join(t.dir, 'strict');
    cpSync(MINIMAL_SRC, src, { recursive: true });
    const settings = JSON.parse(readFileSync(join(src, 'bundle.json'), 'utf8'));
    writeFileSync(join(src, 'bundle.json'), JSON.stringify({ ...settings, id: 'test.strict', escalation: { allowWithoutAnswer: false } }));
    const key = orgKey();
    await buildBundle({ sourceDir: src, key: key.privateJwk, outFile: join(t.dir, 'strict.cbundle') });
    await core.importBundle(join(t.dir, 'strict.cbundle'), { trusted: [key.trusted] });
    const err = await callError(core, 'annotations.submit', { bundleId: 'test.strict', taskId: 't-compare', content: empty({ escalations: [escalation()] }) });
    expect(err.code).toBe('validation_failed');
    expect(err.issues!.map((i) => i.path)).toContain('answer.preference');
  });

  it("shows reviewers every escalation, most severe first, and keeps annotators out of the reviewers' queue", async () => {
    await call(core, 'annotations.submit', { ...ref, content: empty({ escalations: [escalation({ id: 'low', severity: 'low', reason: 'unsafe_advice' }), escalation()] }) });
    expect((await callError(core, 'reviews.escalations', {})).code).toBe('forbidden');
    await call(core, 'identity.setup', { displayName: 'Dr Ada Example', role: 'reviewer' });
    const items = await call(core, 'reviews.escalations', {});
    expect(items.map((i) => [i.escalationId, i.severity, i.reasonLabel, i.answered])).toEqual([
      ['e1', 'critical', 'Unsafe advice', false],
      ['low', 'low', 'Unsafe advice', false],
    ]);
    expect(items[0]).toMatchObject({ taskTitle: 'Paracetamol maximum dose', annotatorName: 'Dr Ada Example', note: 'r1 would overdose a 45 kg patient' });
    expect(await call(core, 'reviews.escalations', { minSeverity: 'high' })).toHaveLength(1);
  });
});

describe('assumption search', () => {
  it('finds every task where someone made a given assumption, by words in any order', async () => {
    await call(core, 'annotations.saveDraft', {
      ...ref,
      content: empty({ assumptions: [{ id: 'a1', category: 'renal_function', text: 'Assumed the patient is not pregnant and eGFR > 60', scope: { type: 'task' } }] }),
    });
    await call(core, 'annotations.saveDraft', {
      bundleId: 'test.minimal',
      taskId: 't-exemplar',
      content: {
        answer: { kind: 'exemplar', corrected: '', draftScores: {}, note: '', errorTypes: [], diffStats: null },
        assumptions: [{ id: 'a2', category: 'renal_function', text: 'Normal renal function', scope: { type: 'task' } }],
        escalations: [],
        highlights: [],
      },
    });
    const r = await call(core, 'assumptions.search', { bundleId: 'test.minimal', query: 'PREGNANT not' });
    expect(r.total).toBe(1);
    expect(r.hits[0]).toMatchObject({ taskId: 't-compare', categoryLabel: 'Renal function', text: 'Assumed the patient is not pregnant and eGFR > 60' });
    expect((await call(core, 'assumptions.search', { bundleId: 'test.minimal', query: 'renal' })).hits.map((h) => h.taskId)).toEqual(['t-exemplar']);
    expect((await call(core, 'assumptions.search', { bundleId: 'test.minimal', query: '' })).total).toBe(2);
    expect((await call(core, 'assumptions.search', { bundleId: 'test.minimal', query: '100%' })).total).toBe(0);
  });
});
