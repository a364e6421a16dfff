import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdentityView, ImportResultView, Response } from '../../../shared/contract/index.ts';
import { enqueue } from '../../../electron/core/sync/outbox.ts';
import { upsertKnownDevices } from '../../../electron/core/sync/receive.ts';
import { toPublic } from '../../../shared/node/keys.ts';
import { BUNDLE_ID, goodFiles, signedBy, TEST_NOW } from '../../fixtures/hostile/corpus.ts';
import { ORG_KEY } from '../../support/fixture-keys.ts';
import { workstation, type Workstation } from '../../support/workstation.ts';
import { fakeAnnotation } from './helpers.ts';

const [COMPARE, EXEMPLAR] = goodFiles(1)['tasks.jsonl']!.toString('utf8').trim().split('\n') as [string, string, string];
/** Version 2: the exemplar's draft changed, the trajectory dropped, one task added, the compare task untouched. */
const V2_TASKS = [
  COMPARE,
  EXEMPLAR.replace('Six years from breach.', 'Twelve years from breach.'),
  JSON.stringify({ id: 't-new', kind: 'exemplar', context: [{ role: 'user', content: 'New question?' }], draft: 'New draft.' }),
].join('\n');

async function must<T>(ws: Workstation, method: string, req: unknown): Promise<T> {
  const r = await ws.core.call(method, req);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.result as T;
}

/**
 * A reviewer's workstation holds no local annotations of the annotator's: only the records
 * received from the annotator's device. These tests move real signed batch files between two
 * workstations (the by-hand path), so the reviewer's store is exactly what receiving writes.
 */
describe("a bundle update on a reviewer's workstation keeps and flags work received from other devices", () => {
  let annotator: Workstation;
  let reviewer: Workstation;
  let bea: IdentityView;
  let dir: string;

  const bundleFile = (version: number, tasks?: string) => {
    const path = join(dir, `v${version}.cbundle`);
    writeFileSync(path, signedBy(ORG_KEY.privateJwk, goodFiles(version, tasks !== undefined ? { tasks } : {}), version));
    return path;
  };

  /** Bea submits work on `taskIds` as of the bundle version installed on her workstation, and hands the new batch file over. */
  const beaSends = async (taskIds: string[], seq: number): Promise<void> => {
    await annotator.core.exclusive(() => {
      const db = annotator.core.ctx.db;
      const version = (db.prepare('SELECT version FROM bundles WHERE id = ?').get(BUNDLE_ID) as { version: number }).version;
      for (const [i, taskId] of taskIds.entries()) {
        const { hash } = db.prepare('SELECT hash FROM tasks WHERE bundle_id = ? AND task_id = ?').get(BUNDLE_ID, taskId) as { hash: string };
        const a = { ...fakeAnnotation(bea, seq * 10 + i), bundleId: BUNDLE_ID, bundleVersion: version, taskId, taskHash: hash };
        enqueue(db, { type: 'annotation', record: a }, a.submittedAt!);
      }
    });
    const files = await annotator.core.sync.exportBatches(join(dir, 'usb'), { fromSeq: seq, toSeq: seq });
    expect(files).toHaveLength(1);
    const got = await must<{ results: { ok: boolean }[] }>(reviewer, 'sync.importBatches', { files });
    expect(got.results).toMatchObject([{ ok: true }]);
  };
  const flagged = () => must<Response<'reviews.flagged'>>(reviewer, 'reviews.flagged', {});
  const db = () => reviewer.core.ctx.db;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cb-received-update-'));
    const trust = [{ jwk: ORG_KEY.publicJwk, label: 'Org' }];
    annotator = await workstation({ now: TEST_NOW, trust });
    bea = await must<IdentityView>(annotator, 'identity.setup', { displayName: 'Bea Annotator', role: 'annotator' });
    reviewer = await workstation({ now: TEST_NOW, trust, role: 'reviewer' });
    const key = (await annotator.core.ctx.keyVault.load())!;
    // What pullReviews learns from the server, recorded directly: this test needs no server.
    upsertKnownDevices(db(), [{ deviceId: bea.deviceId, publicKey: toPublic(key), userId: bea.userId, displayName: bea.displayName, role: 'annotator', revokedAt: null }], TEST_NOW.toISOString());
    await must(annotator, 'bundles.importFile', { path: bundleFile(1) });
    await must(reviewer, 'bundles.importFile', { path: bundleFile(1) });
  });
  afterEach(async () => {
    await annotator.dispose();
    await reviewer.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('flags received work on a changed task under its author, retires a dropped task it refers to, leaves unrelated tasks alone', async () => {
    await beaSends(['t-exemplar', 't-trajectory', 't-compare'], 1);
    const r = await must<ImportResultView>(reviewer, 'bundles.importFile', { path: bundleFile(2, V2_TASKS) });
    expect(r).toMatchObject({ outcome: 'updated', version: 2, changes: { added: 1, changed: 1, removed: 1, flagged: 1 } });

    // The changed task's received work is flagged and listed with the author's name, although the
    // reviewer's store has no local annotation of hers.
    expect(await flagged()).toEqual({
      total: 1,
      items: [
        {
          bundleId: BUNDLE_ID,
          bundleTitle: 'Hostile corpus base',
          taskId: 't-exemplar',
          taskTitle: expect.any(String),
          kind: 'exemplar',
          annotatorId: bea.userId,
          annotatorName: 'Bea Annotator',
          fromVersion: 1,
          toVersion: 2,
          flaggedAt: TEST_NOW.toISOString(),
          retired: false,
        },
      ],
    });
    // The content her work was made against is kept.
    const revisions = db().prepare('SELECT task_id, bundle_version, body FROM task_revisions WHERE bundle_id = ? ORDER BY task_id').all(BUNDLE_ID) as { task_id: string; bundle_version: number; body: string }[];
    expect(revisions.map((x) => [x.task_id, x.bundle_version])).toEqual([['t-exemplar', 1]]);
    expect(revisions[0]!.body).toContain('Six years from breach.');

    // The dropped task is retired, not deleted: every received record still joins to its task.
    expect(db().prepare('SELECT retired FROM tasks WHERE bundle_id = ? AND task_id = ?').get(BUNDLE_ID, 't-trajectory')).toEqual({ retired: 1 });
    const orphans = db().prepare('SELECT COUNT(*) AS n FROM received_records r WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.bundle_id = r.bundle_id AND t.task_id = r.task_id)').get() as { n: number };
    expect(orphans.n).toBe(0);

    // Unrelated: the unchanged task is neither flagged nor revised; the new task is plain.
    const tasks = db().prepare('SELECT task_id, retired, bundle_version FROM tasks WHERE bundle_id = ? ORDER BY task_id').all(BUNDLE_ID);
    expect(tasks).toEqual([
      { task_id: 't-compare', retired: 0, bundle_version: 2 },
      { task_id: 't-exemplar', retired: 0, bundle_version: 2 },
      { task_id: 't-new', retired: 0, bundle_version: 2 },
      { task_id: 't-trajectory', retired: 1, bundle_version: 1 },
    ]);
    expect(db().prepare('SELECT task_id FROM annotation_reviews').all()).toEqual([{ task_id: 't-exemplar' }]);
  });

  it('a dropped task nobody worked on is still deleted', async () => {
    await beaSends(['t-exemplar'], 1);
    await must(reviewer, 'bundles.importFile', { path: bundleFile(2, V2_TASKS) });
    expect(db().prepare('SELECT COUNT(*) AS n FROM tasks WHERE bundle_id = ? AND task_id = ?').get(BUNDLE_ID, 't-trajectory')).toEqual({ n: 0 });
  });

  it("newer received work from the author, made against the new version, resolves the flag; another author's flag stays", async () => {
    await beaSends(['t-exemplar'], 1);
    // The reviewer's own local work on the same task is flagged too, and is not hers to settle.
    const content = { answer: { kind: 'exemplar', corrected: 'Twelve years for a deed.', draftScores: { accuracy: 4 }, note: '', errorTypes: [] } };
    await must(reviewer, 'annotations.submit', { bundleId: BUNDLE_ID, taskId: 't-exemplar', content });
    const r = await must<ImportResultView>(reviewer, 'bundles.importFile', { path: bundleFile(2, V2_TASKS) });
    expect(r).toMatchObject({ changes: { flagged: 2 } });
    const names = async () => (await flagged()).items.map((f) => f.annotatorName).sort();
    expect(await names()).toEqual(['Bea Annotator', 'Test reviewer']);

    // Work Bea made against version 1 again (her device not yet updated) settles nothing.
    await beaSends(['t-exemplar'], 2);
    expect(await names()).toEqual(['Bea Annotator', 'Test reviewer']);

    await must(annotator, 'bundles.importFile', { path: bundleFile(2, V2_TASKS) });
    await beaSends(['t-exemplar'], 3);
    expect(await names()).toEqual(['Test reviewer']);
    expect(db().prepare('SELECT resolved_at FROM annotation_reviews WHERE annotator_id = ?').all(bea.userId)).toEqual([{ resolved_at: TEST_NOW.toISOString() }]);
  });

  it('received work made against an older version is flagged on arrival if its task has changed since', async () => {
    await must(reviewer, 'bundles.importFile', { path: bundleFile(2, V2_TASKS) });
    // Bea's device still has version 1: her exemplar work is on content the reviewer no longer has.
    await beaSends(['t-exemplar', 't-compare'], 1);
    expect((await flagged()).items.map((f) => [f.taskId, f.annotatorName, f.fromVersion, f.toVersion])).toEqual([['t-exemplar', 'Bea Annotator', 1, 2]]);
    // Once she has version 2, her newer work settles it.
    await must(annotator, 'bundles.importFile', { path: bundleFile(2, V2_TASKS) });
    await beaSends(['t-exemplar'], 2);
    expect((await flagged()).total).toBe(0);
  });

  it('received work made against a newer version than installed is not flagged when the reviewer catches up', async () => {
    await must(annotator, 'bundles.importFile', { path: bundleFile(2, V2_TASKS) });
    await beaSends(['t-exemplar'], 1);
    expect((await flagged()).total).toBe(0);
    const r = await must<ImportResultView>(reviewer, 'bundles.importFile', { path: bundleFile(2, V2_TASKS) });
    expect(r).toMatchObject({ changes: { changed: 1, flagged: 0 } });
    expect((await flagged()).total).toBe(0);
    // Her work is still kept with its task (the old content too, since work refers to the task).
    expect(db().prepare('SELECT COUNT(*) AS n FROM task_revisions WHERE task_id = ?').get('t-exemplar')).toEqual({ n: 1 });
  });
});
