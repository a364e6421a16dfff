/**
 * The dashboard's older-model flag: preference judgements on responses from a model version
 * older than the bundle's current one, by the export's own rule (shared/export/models.ts),
 * per bundle, with the tasks behind it; filtered by annotator; nothing without a current model.
 */
import { describe, expect, it } from 'vitest';
import { collectFactsAsync, computeInsight, insightFromFacts, tasksBehind } from '../../../shared/insight/index.ts';
import type { CurrentModel } from '../../../shared/domain/index.ts';
import { compareTask, prefer, unit, uuidOf } from '../../support/export-units.ts';

const current: CurrentModel = { name: 'm', version: 'v3', earlier: ['v1', 'v2'] };
const onVersions = (id: string, versions: (string | undefined)[]) => {
  const t = compareTask(id, versions.length);
  return { ...t, responses: t.responses.map((r, k) => ({ id: r.id, content: r.content, model: 'm', ...(versions[k] ? { modelVersion: versions[k] } : {}) })) };
};
const both = [
  { who: 'ana', answer: prefer('r1') },
  { who: 'ben', answer: prefer('r2') },
];

function work(model: CurrentModel | undefined) {
  const bundle = { id: 'b.models', version: 1, ...(model ? { currentModel: model } : {}) };
  return [
    unit(onVersions('old', ['v3', 'v1']), { bundle, annotations: both }),
    unit(onVersions('older', ['v2', 'v2']), { bundle, annotations: [both[0]!] }),
    unit(onVersions('new', ['v3', 'v3']), { bundle, annotations: both }),
    // No version recorded: unknown, not older (the export does not count it either).
    unit(onVersions('unversioned', [undefined, undefined]), { bundle, annotations: both }),
  ];
}

describe('older-model preference flag', () => {
  it('counts judgements on older responses per bundle, as a sentence, with the tasks behind it', async () => {
    const r = computeInsight(work(current));
    expect(r.olderModel).toEqual([{ bundleId: 'b.models', currentModel: 'm v3', judgements: 7, older: 3, tasks: 2 }]);
    const flag = r.flags.find((f) => f.id === 'older-model:b.models')!;
    expect(flag.sentence).toBe("Bundle 'b.models': 3 of 7 preference judgements (43%, 2 tasks) are on responses from a model older than the current m v3 — stale for training on the current model");
    expect(flag.drill).toEqual({ bundleId: 'b.models', show: 'older-model' });

    const facts = await collectFactsAsync(work(current));
    expect(insightFromFacts(facts).olderModel).toEqual(r.olderModel);
    const drill = tasksBehind(facts, flag.drill, 1);
    expect(drill.total).toBe(2);
    expect(drill.rows).toEqual([expect.objectContaining({ taskId: 'old', field: 'compare.preference', values: { ana: 'r1', ben: 'r2' }, goldAnswer: null, adjudicated: null })]);
  });

  it("follows the annotator filter, and flags nothing when the bundle names no current model or nothing is older", () => {
    expect(computeInsight(work(current), { filter: { coder: uuidOf('annotator/ben') } }).olderModel).toEqual([{ bundleId: 'b.models', currentModel: 'm v3', judgements: 3, older: 1, tasks: 1 }]);
    const none = computeInsight(work(undefined));
    expect(none.olderModel).toEqual([]);
    expect(none.flags.some((f) => f.id.startsWith('older-model:'))).toBe(false);
    const fresh = computeInsight(work(current).slice(2));
    expect(fresh.olderModel[0]?.older).toBe(0);
    expect(fresh.flags.some((f) => f.id.startsWith('older-model:'))).toBe(false);
  });
});
