import { describe, expect, it } from 'vitest';
import rubricJson from '../../fixtures/bundle-src/minimal/rubric.json';
import taxonomyJson from '../../fixtures/bundle-src/minimal/taxonomy.json';
import { Rubric, Taxonomy, type CompareAnswer, type Step, type TrajectoryAnswer } from '../../../shared/domain/index.ts';
import type { BundleDetail } from '../../../shared/contract/index.ts';
import { missingForCompare, rankingMissing } from '../../../renderer/src/views/task/compare/compareRules.ts';
import { missingForTrajectory } from '../../../renderer/src/views/task/trajectory/trajectoryRules.ts';

const rubric = Rubric.parse(rubricJson);
const taxonomy = Taxonomy.parse(taxonomyJson);
const bundle = { rubric, taxonomy, rationale: 'required', allowEscalationWithoutAnswer: true } as unknown as BundleDetail;
const compare = (over: Partial<CompareAnswer> = {}): CompareAnswer => ({
  kind: 'compare',
  preference: { choice: 'r2', strength: 2 },
  ranking: null,
  scores: { r1: { accuracy: 2 }, r2: { accuracy: 5 }, r3: { accuracy: 3 } },
  rationale: 'r2 doses by weight.',
  ...over,
});

describe("the UI's still-needed lists come from the shared submission rules", () => {
  it('compare: the ranking rule for N > 2 and "cannot judge" with an escalation', () => {
    const order = ['r1', 'r2', 'r3'];
    expect(missingForCompare(compare(), bundle, order).map((m) => m.id)).toEqual(['ranking']);
    expect(rankingMissing(compare({ ranking: [['r2'], ['r1', 'r3']] }), order)).toEqual([]);
    const cannot = compare({ preference: { choice: 'cannot_judge', strength: null }, scores: {}, rationale: '' });
    const escalation = { id: 'cannot-judge', reason: 'unsafe_advice', severity: 'critical' as const, note: '', scope: { type: 'task' as const } };
    expect(missingForCompare(cannot, bundle, ['r1', 'r2'], [escalation])).toEqual([]);
    expect(missingForCompare(cannot, bundle, ['r1', 'r2']).map((m) => m.id)).toEqual(['escalation', 'rationale']);
    expect(missingForCompare(compare({ scores: {} }), bundle, ['r1', 'r2']).map((m) => m.id)).toEqual(['score:r1:accuracy', 'score:r2:accuracy']);
  });

  it('trajectory: labels out of run order are named', () => {
    const steps: Step[] = [
      { id: 's1', type: 'thought', content: 'a' },
      { id: 's2', type: 'thought', content: 'b' },
    ];
    const a: TrajectoryAnswer = {
      kind: 'trajectory',
      steps: ['s2', 's1'].map((stepId) => ({ stepId, verdict: 'good', errorTypes: [], note: '', corrected: null })),
      firstErrorStepId: null,
      outcome: 'success',
      scores: {},
      rationale: 'fine',
    };
    expect(missingForTrajectory(a, steps, bundle).map((m) => m.id)).toEqual(['order']);
  });
});
