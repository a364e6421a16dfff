/**
 * insight.dashboard and insight.tasks through the core's dispatcher, as the Dashboard screen
 * calls them: reviewers see the planted figures and drill into the tasks behind a flag;
 * annotators are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core.ts';
import { call, callError, coreWithMinimal, tempDir } from '../helpers/workspace.ts';
import { plantedStore } from '../support/planted-store.ts';

const t = tempDir();
let core: Core;

beforeAll(async () => {
  core = (await plantedStore(t.dir, { compare: 60, trajectories: 10 })).core;
}, 120_000);
afterAll(async () => {
  await core.close();
  t.cleanup();
});

describe('insight contract', () => {
  it('gives reviewers every figure with flags, filtered, and the tasks behind a flag', async () => {
    const r = await call(core, 'insight.dashboard', {});
    const cy = r.coders.find((c) => c.name === 'cy')!.id;
    const flag = r.flags.find((f) => f.id === `position:${cy}`)!;
    expect(flag.sentence).toMatch(/^Annotator 'cy' preferred the response shown first in 60 of 60 comparisons/);
    const drill = await call(core, 'insight.tasks', { drill: flag.drill, limit: 10 });
    expect(drill.total).toBe(60);
    expect(drill.rows).toHaveLength(10);
    expect(drill.rows[0]).toMatchObject({ bundleId: 'b.insight', kind: 'compare', field: 'compare.preference' });

    const safety = await call(core, 'insight.dashboard', { filter: { field: 'safety' } });
    expect(safety.fields.map((f) => f.field)).toEqual(['compare.score.safety']);
    const disagree = await call(core, 'insight.tasks', { filter: {}, drill: { field: 'compare.score.safety', show: 'disagreement' } });
    expect(disagree.total).toBeGreaterThan(30);
    expect(disagree.rows.every((row) => new Set(Object.values(row.values)).size > 1)).toBe(true);

    // The planted bundle declares no current model: no older-model figure, flag or task.
    expect(r.olderModel).toEqual([]);
    expect(r.flags.some((f) => f.drill.show === 'older-model')).toBe(false);
    expect((await call(core, 'insight.tasks', { drill: { bundleId: 'b.insight', show: 'older-model' } })).total).toBe(0);
  });

  it('reuses the computed report until the store changes, per filter', async () => {
    const first = await call(core, 'insight.dashboard', {});
    const again = await call(core, 'insight.dashboard', {});
    // The same report object: the core did not read the units or bootstrap again.
    expect(again).toBe(first);
    const filtered = await call(core, 'insight.dashboard', { filter: { field: 'safety' } });
    expect(filtered).not.toBe(first);
    expect(await call(core, 'insight.dashboard', { filter: { field: 'safety' } })).toBe(filtered);
    expect(await call(core, 'insight.dashboard', { seed: 7 })).not.toBe(first);

    // Any write to the store (here the reviewer's own draft) invalidates every entry.
    const taskId = (core.ctx.db.prepare("SELECT task_id FROM tasks WHERE body LIKE '%\"compare\"%' LIMIT 1").pluck().get() as string);
    await call(core, 'annotations.saveDraft', {
      bundleId: first.bundles[0]!.id,
      taskId,
      content: { answer: { kind: 'compare', preference: null, ranking: null, scores: {}, rationale: 'half-read' }, assumptions: [], escalations: [], highlights: [] },
    });
    const after = await call(core, 'insight.dashboard', {});
    expect(after).not.toBe(first);
    expect(after.fields).toEqual(first.fields);
    expect(await call(core, 'insight.dashboard', {})).toBe(after);
  });

  it('refuses bad filters and annotators', async () => {
    expect((await callError(core, 'insight.tasks', { drill: { show: 'everything' } })).code).toBe('invalid_request');
    const t2 = tempDir();
    const { core: annotator } = await coreWithMinimal(t2.dir);
    try {
      expect((await callError(annotator, 'insight.dashboard', {})).code).toBe('forbidden');
    } finally {
      await annotator.close();
      t2.cleanup();
    }
  });
});
