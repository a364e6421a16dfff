import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Adjudication } from '../../shared/domain/index.ts';
import { call, callError, tempDir } from '../helpers/workspace.ts';
import { adjudicationRecord, answers, reviewFixture, type ReviewFixture } from '../support/review-fixture.ts';

describe("the reviewer's workspace: queue, side by side, decisions, bulk, stale", () => {
  let tmp: ReturnType<typeof tempDir>;
  let fx: ReviewFixture;
  beforeEach(async () => {
    tmp = tempDir('cb-review-ws-');
    fx = await reviewFixture(tmp.dir);
  });
  afterEach(async () => {
    await fx.core.close();
    tmp.cleanup();
  });

  async function seed() {
    const ann = await fx.device('Ann');
    const bob = await fx.device('Bob');
    const cmpA = await fx.annotation(ann, 't-compare', answers.compare('r1', 3, [5, 1]), {
      content: { escalations: [{ id: 'e1', reason: 'unsafe_advice', severity: 'critical', note: 'r1 overdoses', scope: { type: 'task' } }] },
    });
    const cmpB = await fx.annotation(bob, 't-compare', answers.compare('r2', 2));
    const exA = await fx.annotation(ann, 't-exemplar', answers.exemplar('Twelve years from the deed.'));
    const exB = await fx.annotation(bob, 't-exemplar', answers.exemplar('Twelve years from the deed.'));
    const trA = await fx.annotation(ann, 't-trajectory', answers.trajectory(['good', 'error', 'good'], 's2'));
    const trB = await fx.annotation(bob, 't-trajectory', answers.trajectory(['good', 'good', 'good'], null, 'success'));
    expect((await fx.receive(ann, [cmpA, exA, trA].map((record) => ({ type: 'annotation' as const, record })))).ok).toBe(true);
    expect((await fx.receive(bob, [cmpB, exB, trB].map((record) => ({ type: 'annotation' as const, record })))).ok).toBe(true);
    return { ann, bob, cmpA, cmpB, exA, exB, trA, trB };
  }

  it('lists the annotators the queue can be filtered by, and the filter keeps only their tasks', async () => {
    const s = await seed();
    const cy = await fx.device('Cy');
    const cyEx = await fx.annotation(cy, 't-exemplar', answers.exemplar('Ten years from the deed.'));
    expect((await fx.receive(cy, [{ type: 'annotation', record: cyEx }])).ok).toBe(true);
    const { annotators } = await call(fx.core, 'reviews.annotators', { bundleId: fx.bundleId });
    expect(annotators.map((a) => [a.annotatorName, a.tasks])).toEqual([['Ann', 3], ['Bob', 3], ['Cy', 1]]);
    expect(annotators[2]!.annotatorId).toBe(cy.userId);
    expect((await call(fx.core, 'reviews.queue', { bundleId: fx.bundleId, annotatorId: cy.userId })).items.map((i) => i.taskId)).toEqual(['t-exemplar']);
    expect((await call(fx.core, 'reviews.queue', { bundleId: fx.bundleId, annotatorId: s.bob.userId })).total).toBe(3);
    expect((await call(fx.core, 'reviews.annotators', { bundleId: 'no.such.bundle' })).annotators).toEqual([]);
  });

  it('orders the queue by disagreement, filters it, and shows the work side by side with stable pseudonyms', async () => {
    const s = await seed();
    const q = await call(fx.core, 'reviews.queue', { bundleId: fx.bundleId });
    expect(q.total).toBe(3);
    // Opposite preferences weigh most; the exemplar corrections agree.
    expect(q.items.map((i) => i.taskId)).toEqual(['t-compare', 't-trajectory', 't-exemplar']);
    expect(q.items[2]).toMatchObject({ unanimous: true, score: 0 });
    expect(q.items[0]).toMatchObject({ gold: true, openEscalations: 1, adjudication: 'none', parts: expect.objectContaining({ preference: 1 }) });
    expect((await call(fx.core, 'reviews.queue', { bundleId: fx.bundleId, escalation: 'open' })).items.map((i) => i.taskId)).toEqual(['t-compare']);
    expect((await call(fx.core, 'reviews.queue', { bundleId: fx.bundleId, gold: 'exclude' })).total).toBe(2);
    expect((await call(fx.core, 'reviews.queue', { bundleId: fx.bundleId, criterion: 'accuracy' })).items.map((i) => [i.taskId, i.criterionSpread])).toEqual([['t-compare', 1]]);
    expect((await call(fx.core, 'reviews.queue', { bundleId: fx.bundleId, annotatorId: s.ann.userId })).total).toBe(3);
    expect((await call(fx.core, 'reviews.queue', { bundleId: fx.bundleId, annotatorId: 'nobody' })).total).toBe(0);
    expect((await call(fx.core, 'reviews.queue', { bundleId: fx.bundleId, limit: 1, offset: 1 })).items.map((i) => i.taskId)).toEqual(['t-trajectory']);

    const open = await call(fx.core, 'reviews.task', { bundleId: fx.bundleId, taskId: 't-compare' });
    expect(open.work.map((w) => w.annotatorName).sort()).toEqual(['Ann', 'Bob']);
    expect(open.work.find((w) => w.annotatorName === 'Ann')!.escalations).toEqual([expect.objectContaining({ escalationId: 'e1', resolved: false, reasonLabel: 'Unsafe advice' })]);
    const blind = await call(fx.core, 'reviews.task', { bundleId: fx.bundleId, taskId: 't-compare', blind: true });
    expect(blind.work.every((w) => w.annotatorName === null && w.annotatorId === null)).toBe(true);
    // The same letter for the same annotator, blind or not.
    expect(blind.work.map((w) => [w.annotationId, w.pseudonym])).toEqual(open.work.map((w) => [w.annotationId, w.pseudonym]));
    expect(new Set(blind.work.map((w) => w.pseudonym))).toEqual(new Set(['Annotator A', 'Annotator B']));
    // Gold stays hidden from the adjudication screen too.
    expect(JSON.stringify(blind.task)).not.toContain('gold');
  });

  it("accepts one annotator's answer with a rationale, resolving the escalation, queued for sync", async () => {
    const s = await seed();
    const draft = await call(fx.core, 'adjudications.saveDraft', { bundleId: fx.bundleId, taskId: 't-compare', method: 'accepted', source: s.cmpB.id, rationale: '' });
    expect(draft.answer).toEqual(s.cmpB.content.answer);
    expect((await call(fx.core, 'reviews.task', { bundleId: fx.bundleId, taskId: 't-compare' })).draft).toMatchObject({ source: s.cmpB.id });
    const refused = await callError(fx.core, 'adjudications.submit', { bundleId: fx.bundleId, taskId: 't-compare', method: 'accepted', source: s.cmpB.id, rationale: '  ' });
    expect(refused).toMatchObject({ code: 'validation_failed', issues: [{ path: 'rationale' }] });
    const bogus = await callError(fx.core, 'adjudications.submit', {
      bundleId: fx.bundleId,
      taskId: 't-compare',
      method: 'accepted',
      source: s.cmpB.id,
      rationale: 'weight-based',
      resolvesEscalations: [{ annotationId: s.cmpB.id, escalationId: 'e1' }],
    });
    expect(bogus.code).toBe('validation_failed');
    const adj = await call(fx.core, 'adjudications.submit', {
      bundleId: fx.bundleId,
      taskId: 't-compare',
      method: 'accepted',
      source: s.cmpB.id,
      rationale: 'Weight-based dosing; r1 overdoses a 45 kg adult.',
      resolvesEscalations: [{ annotationId: s.cmpA.id, escalationId: 'e1' }],
    });
    expect(Adjudication.parse(adj)).toMatchObject({ revision: 1, supersedes: null, method: 'accepted', source: s.cmpB.id, taskHash: await fx.hashOf('t-compare') });
    expect(adj.basedOn.sort()).toEqual([s.cmpA.id, s.cmpB.id].sort());
    expect(adj.answer).toEqual(s.cmpB.content.answer);
    // Decided if and only if queued for sync, like an annotation.
    expect(fx.core.ctx.db.prepare("SELECT kind, record_id FROM outbox WHERE kind = 'adjudication'").all()).toEqual([{ kind: 'adjudication', record_id: adj.id }]);
    const view = await call(fx.core, 'reviews.task', { bundleId: fx.bundleId, taskId: 't-compare' });
    expect(view).toMatchObject({ stale: false, draft: null, adjudication: { record: { id: adj.id }, stale: false } });
    expect(view.work.find((w) => w.annotationId === s.cmpA.id)!.escalations[0]!.resolved).toBe(true);
    expect(await call(fx.core, 'reviews.escalations', {})).toEqual([]);
    // Decided: out of the default queue, in the "yes" one.
    expect((await call(fx.core, 'reviews.queue', { bundleId: fx.bundleId })).items.map((i) => i.taskId)).not.toContain('t-compare');
    expect((await call(fx.core, 'reviews.queue', { bundleId: fx.bundleId, adjudicated: 'yes' })).items.map((i) => i.taskId)).toEqual(['t-compare']);

    // A second decision supersedes the first: the reviewer's own answer.
    const own = await call(fx.core, 'adjudications.submit', { bundleId: fx.bundleId, taskId: 't-compare', method: 'own', answer: answers.compare('r2', 3), rationale: 'Much better on reflection.' });
    expect(own).toMatchObject({ revision: 2, supersedes: adj.id, method: 'own', source: null });
    expect((await call(fx.core, 'reviews.task', { bundleId: fx.bundleId, taskId: 't-compare' })).history.map((h) => h.revision)).toEqual([1, 2]);
    // An incomplete own answer is refused and the draft kept.
    const bad = await callError(fx.core, 'adjudications.submit', { bundleId: fx.bundleId, taskId: 't-trajectory', method: 'own', answer: answers.trajectory(['good'], null), rationale: 'x' });
    expect(bad.code).toBe('validation_failed');
    expect((await call(fx.core, 'reviews.task', { bundleId: fx.bundleId, taskId: 't-trajectory' })).draft).not.toBeNull();
    expect(await call(fx.core, 'adjudications.discardDraft', { bundleId: fx.bundleId, taskId: 't-trajectory' })).toEqual({ discarded: true });
  });

  it('accepts unanimous tasks in bulk after a preview, re-checking each', async () => {
    await seed();
    const preview = await call(fx.core, 'reviews.bulkAcceptPreview', { bundleId: fx.bundleId });
    expect(preview.items.map((i) => i.taskId)).toEqual(['t-exemplar']);
    const r = await call(fx.core, 'reviews.bulkAccept', { bundleId: fx.bundleId, taskIds: ['t-exemplar', 't-compare'] });
    expect(r).toEqual({ accepted: ['t-exemplar'], skipped: [{ taskId: 't-compare', reason: 'has an open escalation' }] });
    expect((await call(fx.core, 'reviews.bulkAcceptPreview', { bundleId: fx.bundleId })).total).toBe(0);
    const v = await call(fx.core, 'reviews.task', { bundleId: fx.bundleId, taskId: 't-exemplar' });
    expect(v.adjudication?.record).toMatchObject({ method: 'unanimous', rationale: 'Unanimous: every annotator gave this answer.' });
  });

  it('marks a decision stale when a late revision arrives, returns the task to the queue, and re-merges only undecided fields', async () => {
    const s = await seed();
    await call(fx.core, 'adjudications.submit', { bundleId: fx.bundleId, taskId: 't-trajectory', method: 'accepted', source: s.trA.id, rationale: 'Step 2 used the wrong patient.' });
    expect((await call(fx.core, 'reviews.queue', { bundleId: fx.bundleId })).items.map((i) => i.taskId)).not.toContain('t-trajectory');
    // Bob revises after the decision.
    const trB2 = await fx.annotation(s.bob, 't-trajectory', answers.trajectory(['good', 'unsafe', 'good'], 's2'), { revision: 2, supersedes: s.trB.id });
    expect((await fx.receive(s.bob, [{ type: 'annotation', record: trB2 }])).ok).toBe(true);
    const q = await call(fx.core, 'reviews.queue', { bundleId: fx.bundleId });
    expect(q.items.find((i) => i.taskId === 't-trajectory')).toMatchObject({ adjudication: 'stale' });
    const v = await call(fx.core, 'reviews.task', { bundleId: fx.bundleId, taskId: 't-trajectory' });
    expect(v.stale).toBe(true);
    expect(v.work.find((w) => w.annotationId === trB2.id)!.inDecision).toBe(false);
    // Everything was decided: it stays; where Bob's new work differs, it is contested, not changed.
    expect(v.proposal!.filled).toEqual([]);
    expect(v.proposal!.contested).toEqual(['steps.s2']);
    expect(v.proposal!.answer).toEqual(v.adjudication!.record.answer);
    // The export unit leaves a stale decision out.
    const { iterateWorkUnits } = await import('../../electron/core/work/units.ts');
    const unit = [...iterateWorkUnits(fx.core.ctx.db, { bundleId: fx.bundleId })].find((u) => u.task.id === 't-trajectory')!;
    expect(unit.adjudication).toBeNull();
  });

  it("refuses an annotator-signed adjudication on the reviewer's workstation, keeping nothing of its batch", async () => {
    const s = await seed();
    const rogue = await fx.device('Mallory');
    const good = await fx.annotation(rogue, 't-exemplar', answers.exemplar('Six years.'));
    const r = await fx.receive(rogue, [
      { type: 'annotation', record: good },
      { type: 'adjudication', record: adjudicationRecord(rogue, [s.exA], s.exA.content.answer) },
    ]);
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/only reviewers' and admins' devices may adjudicate/) });
    expect(fx.core.ctx.db.prepare('SELECT COUNT(*) AS n FROM received_records WHERE device_id = ?').get(rogue.deviceId)).toEqual({ n: 0 });
    expect(fx.core.ctx.db.prepare('SELECT COUNT(*) AS n FROM received_batches WHERE device_id = ?').get(rogue.deviceId)).toEqual({ n: 0 });
    // A reviewer's device's decision is accepted, and is the decision in force.
    const boss = await fx.device('Boss', 'reviewer');
    const adj = adjudicationRecord(boss, [s.exA, s.exB], s.exA.content.answer, { rationale: 'Agreed.' });
    expect((await fx.receive(boss, [{ type: 'adjudication', record: adj }])).ok).toBe(true);
    expect((await call(fx.core, 'reviews.task', { bundleId: fx.bundleId, taskId: 't-exemplar' })).adjudication).toMatchObject({ record: { id: adj.id }, origin: 'received', stale: false });
  });
});

describe('reviews and adjudications are for reviewers and admins', () => {
  it("refuses an annotator's workstation, which still sees its own 'mine vs final'", async () => {
    const t2 = tempDir('cb-review-ann-');
    const annFx = await reviewFixture(t2.dir, 'annotator');
    try {
      expect((await callError(annFx.core, 'reviews.queue', { bundleId: annFx.bundleId })).code).toBe('forbidden');
      expect((await callError(annFx.core, 'adjudications.submit', { bundleId: annFx.bundleId, taskId: 't-compare', method: 'own', answer: answers.compare('r1'), rationale: 'x' })).code).toBe('forbidden');
      expect(await call(annFx.core, 'tasks.final', { bundleId: annFx.bundleId, taskId: 't-compare' })).toEqual({ mine: null, final: null });
    } finally {
      await annFx.core.close();
      t2.cleanup();
    }
  });
});
