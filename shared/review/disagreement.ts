import { criteriaFor, type Answer, type Criterion, type Rubric, type ScoreValue, type Scores, type Task } from '../domain/index.ts';

/**
 * How much the annotators of one task disagree, as one score to order the reviewers' queue by
 * and its parts (each in [0, 1]) to show why. Pure and deterministic: the workstation keeps the
 * score in its review index, recomputed whenever work on the task arrives.
 */
export interface Disagreement {
  /** Weighted sum of the parts; 0 when every decided field agrees. */
  score: number;
  /** Every decided field equal across annotators (rationales and notes aside). */
  unanimous: boolean;
  parts: DisagreementParts;
  /** Per criterion id: the largest normalised spread of its scores (over responses for compare). */
  criteria: Record<string, number>;
}

export interface DisagreementParts {
  /** Share of annotator pairs who chose differently (response, tie, both unacceptable, cannot judge). */
  preference: number;
  /** Among pairs who chose the same response: mean strength difference, over its range. */
  strength: number;
  /** Mean normalised Kendall distance between pairs of rankings (discordant response pairs). */
  ranking: number;
  /** Mean of the per-criterion spreads. */
  criteria: number;
  /** Share of steps whose verdicts differ. */
  steps: number;
  /** Spread of the first-error step (no error counts as one past the last step), over the run length. */
  firstError: number;
  outcome: number;
  /** Share of annotator pairs whose corrected responses differ. */
  correction: number;
}

/**
 * Weights: which way the preference went (or which step failed first) matters more to the
 * training signal than a one-point difference on a Likert scale, so those count more.
 */
const WEIGHTS: Record<keyof DisagreementParts, number> = { preference: 3, strength: 1, ranking: 2, criteria: 1, steps: 2, firstError: 2, outcome: 1, correction: 2 };

const ZERO: DisagreementParts = { preference: 0, strength: 0, ranking: 0, criteria: 0, steps: 0, firstError: 0, outcome: 0, correction: 0 };

function pairs<T>(xs: readonly T[]): [T, T][] {
  const out: [T, T][] = [];
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) out.push([xs[i]!, xs[j]!]);
  return out;
}

function shareDiffering<T>(xs: readonly T[], same: (a: T, b: T) => boolean): number {
  const ps = pairs(xs);
  return ps.length === 0 ? 0 : ps.filter(([a, b]) => !same(a, b)).length / ps.length;
}

/** Spread of one criterion's values, in [0, 1]: range over the scale's range for Likert, any difference otherwise. */
export function scoreSpread(c: Criterion, values: readonly ScoreValue[]): number {
  if (values.length < 2) return 0;
  if (c.scale.type === 'likert') {
    const nums = values.filter((v): v is number => typeof v === 'number');
    const pts = c.scale.points.map((p) => p.value);
    const range = Math.max(...pts) - Math.min(...pts);
    if (nums.length < 2 || range <= 0) return 0;
    return (Math.max(...nums) - Math.min(...nums)) / range;
  }
  return new Set(values.map(String)).size > 1 ? 1 : 0;
}

function criteriaSpread(criteria: readonly Criterion[], scoreSets: readonly (readonly Scores[])[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of criteria) {
    let worst = 0;
    let seen = false;
    for (const set of scoreSets) {
      const values = set.map((s) => s[c.id]).filter((v): v is ScoreValue => v !== undefined);
      if (values.length >= 2) seen = true;
      worst = Math.max(worst, scoreSpread(c, values));
    }
    if (seen) out[c.id] = worst;
  }
  return out;
}

/** Kendall distance between two rankings (groups of tied ids, best first), over the response pairs both rank. */
export function rankingDistance(a: readonly (readonly string[])[], b: readonly (readonly string[])[]): number {
  const rank = (r: readonly (readonly string[])[]) => new Map(r.flatMap((g, i) => g.map((id) => [id, i] as const)));
  const ra = rank(a);
  const rb = rank(b);
  const ids = [...ra.keys()].filter((id) => rb.has(id));
  let total = 0;
  let discordant = 0;
  for (const [x, y] of pairs(ids)) {
    total++;
    const da = Math.sign(ra.get(x)! - ra.get(y)!);
    const db = Math.sign(rb.get(x)! - rb.get(y)!);
    // A tie against an order is half a disagreement; opposite orders a whole one.
    if (da !== db) discordant += da === 0 || db === 0 ? 0.5 : 1;
  }
  return total === 0 ? 0 : discordant / total;
}

function compareParts(task: Extract<Task, { kind: 'compare' }>, rubric: Rubric, answers: readonly Extract<Answer, { kind: 'compare' }>[]): { parts: DisagreementParts; criteria: Record<string, number> } {
  const choices = answers.map((a) => a.preference?.choice ?? null);
  const strengthPairs = pairs(answers).filter(([a, b]) => a.preference && b.preference && a.preference.choice === b.preference.choice && a.preference.strength !== null && b.preference.strength !== null);
  const strength = strengthPairs.length === 0 ? 0 : strengthPairs.reduce((s, [a, b]) => s + Math.abs(a.preference!.strength! - b.preference!.strength!) / 2, 0) / strengthPairs.length;
  const ranked = answers.map((a) => a.ranking).filter((r): r is string[][] => r !== null);
  const rankPairs = pairs(ranked);
  const ranking = rankPairs.length === 0 ? 0 : rankPairs.reduce((s, [a, b]) => s + rankingDistance(a, b), 0) / rankPairs.length;
  const criteria = criteriaSpread(
    criteriaFor(rubric, 'compare'),
    task.responses.map((r) => answers.map((a) => a.scores[r.id] ?? {})),
  );
  return { parts: { ...ZERO, preference: shareDiffering(choices, (a, b) => a === b), strength, ranking, criteria: mean(Object.values(criteria)) }, criteria };
}

function exemplarParts(rubric: Rubric, answers: readonly Extract<Answer, { kind: 'exemplar' }>[]): { parts: DisagreementParts; criteria: Record<string, number> } {
  const criteria = criteriaSpread(criteriaFor(rubric, 'exemplar'), [answers.map((a) => a.draftScores)]);
  const correction = shareDiffering(answers.map((a) => a.corrected.trim()), (a, b) => a === b);
  return { parts: { ...ZERO, correction, criteria: mean(Object.values(criteria)) }, criteria };
}

function trajectoryParts(task: Extract<Task, { kind: 'trajectory' }>, rubric: Rubric, answers: readonly Extract<Answer, { kind: 'trajectory' }>[]): { parts: DisagreementParts; criteria: Record<string, number> } {
  const verdicts = answers.map((a) => new Map(a.steps.map((s) => [s.stepId, s.verdict])));
  const judged = task.steps.filter((s) => verdicts.filter((v) => (v.get(s.id) ?? null) !== null).length >= 2);
  const steps = judged.length === 0 ? 0 : judged.filter((s) => new Set(verdicts.map((v) => v.get(s.id) ?? null).filter((x) => x !== null)).size > 1).length / judged.length;
  const index = new Map(task.steps.map((s, i) => [s.id, i]));
  const firsts = answers.map((a) => (a.firstErrorStepId === null ? task.steps.length : (index.get(a.firstErrorStepId) ?? task.steps.length)));
  const firstError = task.steps.length === 0 ? 0 : (Math.max(...firsts) - Math.min(...firsts)) / task.steps.length;
  const outcome = shareDiffering(answers.map((a) => a.outcome), (a, b) => a === b);
  const criteria = criteriaSpread(criteriaFor(rubric, 'trajectory'), [answers.map((a) => a.scores)]);
  return { parts: { ...ZERO, steps, firstError, outcome, criteria: mean(Object.values(criteria)) }, criteria };
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** The disagreement among the answers (one per annotator: their latest submitted revision). */
export function disagreement(task: Task, rubric: Rubric, answers: readonly Answer[]): Disagreement {
  let r: { parts: DisagreementParts; criteria: Record<string, number> } = { parts: ZERO, criteria: {} };
  if (task.kind === 'compare') r = compareParts(task, rubric, answers.filter((a) => a.kind === 'compare'));
  else if (task.kind === 'exemplar') r = exemplarParts(rubric, answers.filter((a) => a.kind === 'exemplar'));
  else r = trajectoryParts(task, rubric, answers.filter((a) => a.kind === 'trajectory'));
  const score = (Object.keys(WEIGHTS) as (keyof DisagreementParts)[]).reduce((s, k) => s + WEIGHTS[k] * r.parts[k], 0);
  // Rounded so that the stored score orders ties by position, not by float noise.
  const rounded = Math.round(score * 1e6) / 1e6;
  return { score: rounded, unanimous: answers.length >= 2 && rounded === 0 && Object.values(r.criteria).every((x) => x === 0), parts: r.parts, criteria: r.criteria };
}
