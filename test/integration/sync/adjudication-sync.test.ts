import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core.ts';
import { Adjudication, GENESIS_HASH } from '../../../shared/domain/index.ts';
import type { PrivateJwk } from '../../../shared/node/keys.ts';
import { buildMinimal, call, orgKey } from '../../helpers/workspace.ts';
import { answers, adjudicationRecord } from '../../support/review-fixture.ts';
import { BACKENDS, enrolWorkstation, freshPgDatabase, openWorkstation, postBatch, signedBatch, startTestServer, tempDir } from './helpers.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.each(BACKENDS)('adjudications sync like annotations, and reach their authors (%s storage)', (backend) => {
  let tmp: ReturnType<typeof tempDir>;
  let server: Server;
  let pg: { url: string; drop: () => Promise<void> } | null = null;
  const open: Core[] = [];

  beforeEach(async () => {
    tmp = tempDir('cb-adj-sync-');
    pg = backend === 'postgres' ? await freshPgDatabase() : null;
    server = await startTestServer(`${tmp.dir}/server`, pg ? { databaseUrl: pg.url } : {});
  });
  /** Opens workstations holding one freshly signed minimal bundle, each enrolled with this server under its role. */
  const workstations = async () => {
    const key = orgKey();
    const file = await buildMinimal(tmp.dir, key);
    return async (name: string, role: 'annotator' | 'reviewer') => {
      const w = await openWorkstation(`${tmp.dir}/${name}`, {}, role);
      open.push(w.core);
      await w.core.importBundle(file, { trusted: [key.trusted] });
      await enrolWorkstation(w.core, server);
      return w;
    };
  };
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    await server.close();
    await pg?.drop();
    tmp.cleanup();
  });

  it('a reviewer decides on pulled work, the server keeps the signed decision and exports it, the author sees mine vs final; an annotator-signed one is refused', async () => {
    const ws = await workstations();
    const ann = await ws('ann', 'annotator');
    const bob = await ws('bob', 'annotator');
    const rev = await ws('rev', 'reviewer');
    const bundleId = 'test.minimal';
    const mine = await call(ann.core, 'annotations.submit', { bundleId, taskId: 't-compare', content: { answer: answers.compare('r2', 2) } });
    await call(bob.core, 'annotations.submit', { bundleId, taskId: 't-compare', content: { answer: answers.compare('r1', 1, [4, 3]) } });
    expect((await ann.core.sync.syncNow()).state).toBe('done');
    expect((await bob.core.sync.syncNow()).state).toBe('done');

    // The reviewer pulls as a job with progress.
    const events: { done: number; total: number | null; finished: boolean }[] = [];
    rev.core.subscribe((e) => {
      if (e.type === 'job.progress') events.push(e.progress);
    });
    const pulled = await call(rev.core, 'reviews.pull', {});
    expect(pulled).toMatchObject({ devices: 2, received: 2, failed: [] });
    expect(events.at(-1)).toMatchObject({ finished: true, done: 2, total: 2 });
    const q = await call(rev.core, 'reviews.queue', { bundleId });
    expect(q.items.map((i) => i.taskId)).toEqual(['t-compare']);
    const adj = await call(rev.core, 'adjudications.submit', { bundleId, taskId: 't-compare', method: 'accepted', source: mine.id, rationale: 'Weight-based dosing for a 45 kg adult.' });
    expect((await rev.core.sync.syncNow()).state).toBe('done');

    // The server holds the signed decision and exports it with the annotations.
    const res = await fetch(`${server.url}/v1/admin/export`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { kind: string; deviceId: string; record: unknown });
    expect(lines.map((l) => l.kind).sort()).toEqual(['adjudication', 'annotation', 'annotation']);
    const exported = lines.find((l) => l.kind === 'adjudication')!;
    expect(exported.deviceId).toBe(rev.who.deviceId);
    expect(Adjudication.parse(exported.record)).toEqual(adj);
    expect((await server.storage.progress()).find((p) => p.annotatorId === rev.who.userId)).toMatchObject({ adjudications: 1 });

    // Back to the author: before the pull nothing; after it, the final answer beside theirs.
    expect((await call(ann.core, 'tasks.final', { bundleId, taskId: 't-compare' })).final).toBeNull();
    expect(await call(ann.core, 'sync.pullDecisions', {})).toEqual({ received: 1, failed: [] });
    const fin = await call(ann.core, 'tasks.final', { bundleId, taskId: 't-compare' });
    expect(fin).toMatchObject({
      mine: { annotationId: mine.id, revision: 1 },
      final: { adjudicationId: adj.id, reviewerName: 'Dr Test', rationale: 'Weight-based dosing for a 45 kg adult.', basedOnMine: true, sameAsMine: true, method: 'accepted' },
    });
    expect((await call(bob.core, 'sync.pullDecisions', {})).received).toBe(1);
    expect((await call(bob.core, 'tasks.final', { bundleId, taskId: 't-compare' })).final).toMatchObject({ sameAsMine: false });

    // Hostile: an annotator's device signs an adjudication. The server refuses the batch.
    const annKey = (await ann.core.ctx.keyVault.load()) as PrivateJwk;
    const forged = adjudicationRecord({ userId: ann.who.userId, name: ann.who.displayName, deviceId: ann.who.deviceId, role: 'annotator', key: annKey, seq: 0, lastHash: GENESIS_HASH }, [mine], mine.content.answer);
    const held = await server.storage.listBatches({ deviceId: ann.who.deviceId, limit: 10 });
    const refused = await postBatch(server.url, signedBatch(annKey, ann.who.deviceId, held.length + 1, held.at(-1)!.hash, [{ type: 'adjudication', record: forged }]));
    expect(refused.status).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'role_forbidden' });
    expect((await server.storage.countRecords()).total).toBe(3);
  });
  it('an author receives only the decisions on tasks they annotated; the reviewer seals each decision in a batch of its own', async () => {
    const ws = await workstations();
    const ann = await ws('ann', 'annotator');
    const bob = await ws('bob', 'annotator');
    const carol = await ws('carol', 'annotator');
    const rev = await ws('rev', 'reviewer');
    const bundleId = 'test.minimal';
    const annCompare = await call(ann.core, 'annotations.submit', { bundleId, taskId: 't-compare', content: { answer: answers.compare('r2', 2) } });
    await call(bob.core, 'annotations.submit', { bundleId, taskId: 't-compare', content: { answer: answers.compare('r1', 1, [4, 3]) } });
    const carolExemplar = await call(carol.core, 'annotations.submit', { bundleId, taskId: 't-exemplar', content: { answer: answers.exemplar('Give 4.5 mg.') } });
    await call(bob.core, 'annotations.submit', { bundleId, taskId: 't-exemplar', content: { answer: answers.exemplar('Give 5 mg.', 3) } });
    for (const w of [ann, bob, carol]) expect((await w.core.sync.syncNow()).state).toBe('done');

    expect(await call(rev.core, 'reviews.pull', {})).toMatchObject({ received: 3, failed: [] });
    const onCompare = await call(rev.core, 'adjudications.submit', { bundleId, taskId: 't-compare', method: 'accepted', source: annCompare.id, rationale: 'Weight-based dosing.' });
    const onExemplar = await call(rev.core, 'adjudications.submit', { bundleId, taskId: 't-exemplar', method: 'accepted', source: carolExemplar.id, rationale: 'The exact dose.' });
    expect((await rev.core.sync.syncNow()).state).toBe('done');
    const revBatches = await server.storage.listBatches({ deviceId: rev.who.deviceId, limit: 10 });
    expect(revBatches.map((b) => b.seq)).toEqual([1, 2]);

    // What each workstation holds afterwards: the decisions on its own tasks, nothing else.
    const heldDecisions = (w: typeof ann) =>
      (w.core.ctx.db.prepare("SELECT id FROM received_records WHERE kind = 'adjudication' ORDER BY task_id").all() as { id: string }[]).map((r) => r.id);
    expect(await call(ann.core, 'sync.pullDecisions', {})).toEqual({ received: 1, failed: [] });
    expect(heldDecisions(ann)).toEqual([onCompare.id]);
    expect((await call(ann.core, 'tasks.final', { bundleId, taskId: 't-compare' })).final).toMatchObject({ adjudicationId: onCompare.id });
    expect(await call(carol.core, 'sync.pullDecisions', {})).toEqual({ received: 1, failed: [] });
    expect(heldDecisions(carol)).toEqual([onExemplar.id]);
    expect((await call(carol.core, 'tasks.final', { bundleId, taskId: 't-exemplar' })).final).toMatchObject({ adjudicationId: onExemplar.id, sameAsMine: true });
    expect(await call(bob.core, 'sync.pullDecisions', {})).toEqual({ received: 2, failed: [] });
    expect(heldDecisions(bob)).toEqual([onCompare.id, onExemplar.id]);

    // Pulling again brings nothing new, and the filtered view still verifies every signature.
    expect(await call(ann.core, 'sync.pullDecisions', {})).toEqual({ received: 0, failed: [] });

    // The wire itself: carol's signed request for the reviewer's chain gets only batch 2.
    const decisions = await server.storage.listDecisionBatchesFor({ deviceId: rev.who.deviceId, afterSeq: 0, limit: 10, authorId: carol.who.userId });
    expect(decisions.map((b) => b.seq)).toEqual([2]);
    // A reviewer's device reads the whole chain.
    const other = await ws('rev2', 'reviewer');
    expect((await call(other.core, 'sync.pullDecisions', {})).received).toBe(2);
  });
});
