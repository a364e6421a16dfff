import { Random } from '../../shared/agreement/index.ts';
import type { Answer, CurrentModel, Rubric, Task, Taxonomy } from '../../shared/domain/index.ts';
import type { ExportUnit } from '../../shared/export/index.ts';
import { annotatorIdOf, batchOf, compareTask, deviceIdOf, judgeSteps, trajectoryTask, unit } from './export-units.ts';

/**
 * Three annotators' work with known, planted disagreements and biases, for the insight tests,
 * the CLI's integration test, the dashboard's Playwright test and the bench:
 *
 * - ana follows the hidden truth (95% of preferences, exact Likert scores, exact first errors);
 * - ben follows it in weeks 1–2, then picks at random in week 3 (drift), and scores
 *   helpfulness one point higher than the truth (leniency);
 * - cy always prefers the response displayed first (position bias), scores helpfulness
 *   like ana, and puts the first error one step late;
 * - everyone answers "Safety" at random (low agreement on that criterion);
 * - the judge "grader-1" also always prefers the response it was shown first;
 * - gold items carry the truth; a tenth of the tasks are adjudicated with it.
 */

export const BUNDLE_ID = 'b.insight';
export const ANNOTATORS = ['ana', 'ben', 'cy'] as const;
export const JUDGE = 'grader-1';
export const annotatorId = (name: string) => annotatorIdOf(name);

export const RUBRIC: Rubric = {
  criteria: [
    { id: 'helpfulness', label: 'Helpfulness', appliesTo: ['compare'], required: false, scale: { type: 'likert', points: [1, 2, 3, 4, 5].map((value) => ({ value, label: `${value}` })) } },
    { id: 'safety', label: 'Safety', appliesTo: ['compare'], required: false, scale: { type: 'binary', trueLabel: 'Safe', falseLabel: 'Unsafe' } },
  ],
};

export const TAXONOMY: Taxonomy = {
  errorTypes: [
    { id: 'wrong_dose', label: 'Wrong dose' },
    { id: 'no_check', label: 'Missing check' },
  ],
  assumptionCategories: [],
  escalationReasons: [],
  tags: [],
};

/** Monday of ISO week 2026-W18, and the two weeks after. */
const WEEKS = ['2026-04-27', '2026-05-04', '2026-05-11'];

export interface PlantedOptions {
  readonly compare?: number;
  readonly trajectories?: number;
  readonly seed?: number;
  /** Share of compare tasks that are gold items (default 0.4: enough per week to see drift against gold). */
  readonly goldShare?: number;
  /**
   * The bundle's current model (bundle.json `currentModel`), for the older-model flag. Given, the
   * compare tasks of bundle version 2 carry responses from `currentModel.version` while those of
   * version 1 keep the planted model version ('v2' of model 'm'), which is older when `earlier`
   * lists it. Absent, nothing changes: the bench and an equivalence check rely on the default
   * work byte for byte.
   */
  readonly currentModel?: CurrentModel;
}

/** A model upgrade after bundle version 1: its compare responses (model 'm', 'v2') are one version behind. */
export const UPGRADED_MODEL: CurrentModel = { name: 'm', version: 'v3', earlier: ['v2'] };

function shuffle<T>(rng: Random, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function stamp(u: ExportUnit, who: string, week: number, seq: number, displayOrder?: string[], activeMs?: number): void {
  const a = u.annotations.find((x) => x.annotatorName === who)!;
  const day = new Date(`${WEEKS[week]}T09:00:00.000Z`);
  day.setUTCMinutes(day.getUTCMinutes() + seq % 5000);
  a.submittedAt = day.toISOString();
  a.updatedAt = a.submittedAt;
  a.batch = batchOf(deviceIdOf(who), week + 1);
  if (displayOrder) a.displayOrder = displayOrder;
  if (activeMs !== undefined) a.activeMs = activeMs;
}

export function plantedWork(opts: PlantedOptions = {}): ExportUnit[] {
  return [...plantedUnits(opts)];
}

/** The same work one unit at a time, the way the read model streams it (the bench's 100k units never sit in memory at once). */
export function* plantedUnits(opts: PlantedOptions = {}): Generator<ExportUnit> {
  const rng = new Random(opts.seed ?? 7);
  const nCompare = opts.compare ?? 360;
  const nTraj = opts.trajectories ?? 60;
  const goldShare = opts.goldShare ?? 0.4;
  const speed: Record<string, number> = { ana: 90_000, ben: 45_000, cy: 20_000 };

  for (let i = 0; i < nCompare; i++) {
    const week = Math.min(2, Math.floor((i * 3) / nCompare));
    const version = i < nCompare / 2 ? 1 : 2;
    const base = compareTask(`c${i}`);
    // Lengths unrelated to the truth, so no length bias is planted.
    const lengths = [20 + rng.below(200), 20 + rng.below(200)];
    // Only the version changes with a current model: the content, and every draw from rng, stay as without one.
    const upgraded = opts.currentModel !== undefined && version === 2 ? { modelVersion: opts.currentModel.version } : {};
    const task: Task = { ...base, responses: base.responses.map((r, k) => ({ ...r, content: `${r.content} ${'x'.repeat(lengths[k]!)}`, ...upgraded })) };
    const truth = rng.below(2) === 0 ? 'r1' : 'r2';
    const other = truth === 'r1' ? 'r2' : 'r1';
    const help = { [truth]: 3 + rng.below(3), [other]: 1 + rng.below(3) };
    const gold = rng.uniform() < goldShare;
    const orders = Object.fromEntries(ANNOTATORS.map((a) => [a, shuffle(rng, ['r1', 'r2'])]));
    const judgeOrder = shuffle(rng, ['r1', 'r2']);
    const choice: Record<string, string> = {
      ana: rng.uniform() < 0.95 ? truth : other,
      ben: week < 2 ? (rng.uniform() < 0.9 ? truth : other) : rng.below(2) === 0 ? 'r1' : 'r2',
      cy: orders['cy']![0]!,
    };
    const answer = (who: string): Answer => ({
      kind: 'compare',
      preference: { choice: choice[who]!, strength: (1 + rng.below(3)) as 1 | 2 | 3 },
      ranking: null,
      scores: Object.fromEntries(
        ['r1', 'r2'].map((r) => [r, { helpfulness: who === 'ben' ? Math.min(5, help[r]! + 1) : help[r]!, safety: rng.below(2) === 0 }]),
      ),
      rationale: 'because',
    });
    const withJudge: Task = {
      ...task,
      ...(gold ? { gold: { preferred: truth } } : {}),
      judges: [{ model: JUDGE, preference: { choice: judgeOrder[0]!, strength: 2 }, displayOrder: judgeOrder }],
    } as Task;
    const u = unit(withJudge, {
      bundle: { id: BUNDLE_ID, version, ...(opts.currentModel ? { currentModel: opts.currentModel } : {}) },
      gold,
      annotations: ANNOTATORS.map((who) => ({ who, answer: answer(who), bundleVersion: version })),
      ...(i % 10 === 0 ? { adjudicate: { kind: 'compare', preference: { choice: truth, strength: 2 }, ranking: null, scores: {}, rationale: 'decided' } as Answer } : {}),
    });
    ANNOTATORS.forEach((who) => stamp(u, who, week, i, orders[who], speed[who]! + rng.below(10_000)));
    for (const a of u.annotations) a.bundleId = BUNDLE_ID;
    yield u;
  }

  for (let i = 0; i < nTraj; i++) {
    const week = Math.min(2, Math.floor((i * 3) / nTraj));
    const task = trajectoryTask(`t${i}`);
    const first = 1 + rng.below(4);
    const at = (who: string) => (who === 'cy' ? first + 1 : first);
    const answer = (who: string): Answer => {
      const idx = at(who);
      const a = judgeSteps(task, task.steps.map((_s, k) => (k === idx ? 'error' : 'good')), task.steps[idx]!.id);
      if (a.kind === 'trajectory') a.steps[idx]!.errorTypes = [i % 3 === 0 ? 'no_check' : 'wrong_dose'];
      return a;
    };
    const u = unit(task, { bundle: { id: BUNDLE_ID, version: 1, ...(opts.currentModel ? { currentModel: opts.currentModel } : {}) }, annotations: ANNOTATORS.map((who) => ({ who, answer: answer(who) })) });
    ANNOTATORS.forEach((who) => stamp(u, who, week, nCompare + i, undefined, speed[who]! * 2));
    for (const a of u.annotations) a.bundleId = BUNDLE_ID;
    yield u;
  }
}

export const rubricOf = (): Rubric => RUBRIC;
export const taxonomyOf = (): Taxonomy => TAXONOMY;
