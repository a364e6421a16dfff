import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { iterateWorkUnits, taskWork } from '../../electron/core/work/units.ts';
import { ExportUnit } from '../../shared/export/unit.ts';
import { call, tempDir } from '../helpers/workspace.ts';
import { answers, reviewFixture, type ReviewFixture } from '../support/review-fixture.ts';

describe('one read model of all work: local and received, verified once on receipt', () => {
  let tmp: ReturnType<typeof tempDir>;
  let fx: ReviewFixture;
  beforeEach(async () => {
    tmp = tempDir('cb-work-');
    fx = await reviewFixture(tmp.dir);
  });
  afterEach(async () => {
    await fx.core.close();
    tmp.cleanup();
  });

  it("keys every annotator's received revisions by author, device, revision and bundle version, with their batch", async () => {
    const ann = await fx.device('Ann');
    const bob = await fx.device('Bob');
    const a1 = await fx.annotation(ann, 't-compare', answers.compare('r1', 1));
    const b1 = await fx.annotation(bob, 't-compare', answers.compare('r2', 3, [1, 5]));
    expect(await fx.receive(ann, [{ type: 'annotation', record: a1 }])).toEqual({ ok: true, message: undefined });
    expect((await fx.receive(bob, [{ type: 'annotation', record: b1 }])).ok).toBe(true);
    // Ann revises: revision 2 supersedes revision 1, in her next batch.
    const a2 = await fx.annotation(ann, 't-compare', answers.compare('r2', 2), { revision: 2, supersedes: a1.id });
    expect((await fx.receive(ann, [{ type: 'annotation', record: a2 }])).ok).toBe(true);

    const w = (await fx.core.exclusive(() => taskWork(fx.core.ctx.db, fx.bundleId, 't-compare')))!;
    expect(w.annotations.every((a) => a.origin === 'received' && a.bundleVersion === 1)).toBe(true);
    expect(w.annotations.map((a) => `${a.annotatorName}/${a.revision}/${a.batch?.deviceId}/${a.batch?.seq}`).sort()).toEqual(
      [`Ann/1/${ann.deviceId}/1`, `Ann/2/${ann.deviceId}/2`, `Bob/1/${bob.deviceId}/1`].sort(),
    );
    expect(w.latest.map((a) => a.id)).toEqual([a2.id, b1.id]);
    expect(w.annotations.every((a) => a.batch?.hash.length === 64)).toBe(true);

    const units = await fx.core.exclusive(() => [...iterateWorkUnits(fx.core.ctx.db, { bundleId: fx.bundleId })]);
    expect(units).toHaveLength(1);
    const u = ExportUnit.parse(units[0]);
    expect(u.task.id).toBe('t-compare');
    expect(u.gold).toBe(true);
    expect(u.annotations).toHaveLength(3);
    expect(u.adjudication).toBeNull();
    // Ann's latest and Bob's agree on r2.
    expect(u.agreement).toBe(1);

    // The review index knows two annotators disagree on strength and scores.
    const row = fx.core.ctx.db.prepare('SELECT annotators, score, unanimous FROM review_index WHERE task_id = ?').get('t-compare') as { annotators: number; score: number; unanimous: number };
    expect(row.annotators).toBe(2);
    expect(row.score).toBeGreaterThan(0);
    expect(row.unanimous).toBe(0);
  });

  it('puts received escalations in the queue and received assumptions in the search', async () => {
    const ann = await fx.device('Ann');
    const a = await fx.annotation(ann, 't-exemplar', answers.exemplar(''), {
      content: {
        escalations: [{ id: 'e1', reason: 'unsafe_advice', severity: 'critical', note: 'Cannot say without the deed date', scope: { type: 'task' } }],
        assumptions: [{ id: 'as1', category: 'renal_function', text: 'Assume the deed was signed in England', scope: { type: 'task' } }],
      },
    });
    expect(await fx.receive(ann, [{ type: 'annotation', record: a }])).toMatchObject({ ok: true });
    const esc = await call(fx.core, 'reviews.escalations', {});
    expect(esc).toEqual([expect.objectContaining({ annotationId: a.id, escalationId: 'e1', annotatorName: 'Ann', answered: false, severity: 'critical', taskTitle: 'Limitation period' })]);
    const hits = await call(fx.core, 'assumptions.search', { bundleId: fx.bundleId, query: 'deed england' });
    expect(hits.total).toBe(1);
    expect(hits.hits[0]).toMatchObject({ annotationId: a.id, annotatorName: 'Ann', text: 'Assume the deed was signed in England' });
  });

  it('keeps a received record that breaks the submission rules, but out of review and export', async () => {
    const ann = await fx.device('Ann');
    // A preference for a response without its strength: the UI and the core refuse to submit it.
    const bad = await fx.annotation(ann, 't-compare', answers.compare('r1', null));
    expect(await fx.receive(ann, [{ type: 'annotation', record: bad }])).toMatchObject({ ok: true });
    const held = fx.core.ctx.db.prepare('SELECT issues FROM received_records WHERE id = ?').get(bad.id) as { issues: string };
    expect(JSON.parse(held.issues)).toEqual([expect.objectContaining({ path: 'answer.preference.strength' })]);
    const w = (await fx.core.exclusive(() => taskWork(fx.core.ctx.db, fx.bundleId, 't-compare')))!;
    expect(w.annotations).toEqual([]);
  });

  it('merges local and received work on a task', async () => {
    await call(fx.core, 'annotations.submit', { bundleId: fx.bundleId, taskId: 't-exemplar', content: { answer: answers.exemplar('Twelve years from the date of the deed.') } });
    const ann = await fx.device('Ann');
    await fx.receive(ann, [{ type: 'annotation', record: await fx.annotation(ann, 't-exemplar', answers.exemplar('Twelve years.', 3)) }]);
    const w = (await fx.core.exclusive(() => taskWork(fx.core.ctx.db, fx.bundleId, 't-exemplar')))!;
    expect(w.latest.map((a) => [a.annotatorName, a.origin])).toEqual([
      ['Ann', 'received'],
      ['Senior Reviewer', 'local'],
    ]);
    const row = fx.core.ctx.db.prepare('SELECT annotators, score FROM review_index WHERE task_id = ?').get('t-exemplar') as { annotators: number; score: number };
    expect(row.annotators).toBe(2);
    expect(row.score).toBeGreaterThan(0);
  });
});
