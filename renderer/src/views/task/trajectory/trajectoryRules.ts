import type { Criterion, Step, StepLabel, StepVerdict, TrajectoryAnswer } from '../../../../../shared/domain/index.ts';
import { criteriaFor } from '../../../../../shared/domain/index.ts';
import { trajectoryIssues } from '../../../../../shared/rules/index.ts';
import type { BundleDetail } from '../../../../../shared/contract/index.ts';
import type { Missing } from '../compare/compareRules.ts';

/** Pure helpers for trajectory answers: the view and the tests share them; the core still decides. */

export const VERDICTS: readonly StepVerdict[] = ['good', 'error', 'unnecessary', 'unsafe'];
export const VERDICT_LABEL: Record<StepVerdict, string> = { good: 'Good', error: 'Error', unnecessary: 'Unnecessary', unsafe: 'Unsafe' };
export const OUTCOMES = ['success', 'partial', 'failure'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABEL: Record<Outcome, string> = { success: 'Success', partial: 'Partial', failure: 'Failure' };

export const emptyLabel = (stepId: string): StepLabel => ({ stepId, verdict: null, errorTypes: [], note: '', corrected: null });

export function labelsById(answer: TrajectoryAnswer): Map<string, StepLabel> {
  return new Map(answer.steps.map((l) => [l.stepId, l]));
}

/**
 * Updates one step's label. The stored list is rewritten to hold exactly one label per step of
 * the task, in task order, so a step-wise export (prompt, completions, labels) can zip labels
 * with steps by position and id without guessing which steps were skipped.
 */
export function withLabel(answer: TrajectoryAnswer, steps: readonly Step[], stepId: string, update: (l: StepLabel) => StepLabel): TrajectoryAnswer {
  const byId = labelsById(answer);
  const current = byId.get(stepId) ?? emptyLabel(stepId);
  const next = update(current);
  if (next === current) return answer;
  const aligned = answer.steps.length === steps.length && answer.steps.every((l, i) => l.stepId === steps[i]?.id);
  const list = aligned ? answer.steps.slice() : steps.map((s) => byId.get(s.id) ?? emptyLabel(s.id));
  const i = steps.findIndex((s) => s.id === stepId);
  if (i < 0) return answer;
  list[i] = next;
  return { ...answer, steps: list };
}

/** Clearing a verdict also clears the details that only make sense for a faulty step. */
export function setVerdict(label: StepLabel, verdict: StepVerdict | null): StepLabel {
  if (label.verdict === verdict) return label;
  return verdict === 'good' || verdict === null ? { ...label, verdict, errorTypes: verdict === null ? label.errorTypes : [] } : { ...label, verdict };
}

export interface Progress {
  labelled: number;
  total: number;
  counts: Record<StepVerdict, number>;
}

export function progressOf(answer: TrajectoryAnswer, steps: readonly Step[]): Progress {
  const byId = labelsById(answer);
  const counts: Record<StepVerdict, number> = { good: 0, error: 0, unnecessary: 0, unsafe: 0 };
  let labelled = 0;
  for (const s of steps) {
    const v = byId.get(s.id)?.verdict;
    if (v) {
      labelled += 1;
      counts[v] += 1;
    }
  }
  return { labelled, total: steps.length, counts };
}

/** Index of the first step without a verdict at or after `from` (wrapping), or -1 when all are labelled. */
export function firstUnlabelled(answer: TrajectoryAnswer, steps: readonly Step[], from = 0): number {
  const byId = labelsById(answer);
  for (let n = 0; n < steps.length; n += 1) {
    const i = (from + n) % steps.length;
    const s = steps[i];
    if (s && !byId.get(s.id)?.verdict) return i;
  }
  return -1;
}

/** The UI's proposal for the first error: the earliest step (in run order) marked "error". */
export function proposedFirstError(answer: TrajectoryAnswer, steps: readonly Step[]): string | null {
  const byId = labelsById(answer);
  return steps.find((s) => byId.get(s.id)?.verdict === 'error')?.id ?? null;
}

export function trajectoryCriteria(bundle: BundleDetail): Criterion[] {
  return criteriaFor(bundle.rubric, 'trajectory');
}

/**
 * What the annotator still has to do before the core will accept a submission: the shared
 * submission rules (shared/rules/trajectory.ts), in the view's words.
 */
export function missingForTrajectory(answer: TrajectoryAnswer, steps: readonly Step[], bundle: BundleDetail): Missing[] {
  const criteria = trajectoryCriteria(bundle);
  const out: Missing[] = [];
  for (const i of trajectoryIssues({ answer, steps, criteria, rationale: bundle.rationale })) {
    if (i.code === 'steps' && i.missing) {
      const p = progressOf(answer, steps);
      const n = p.total - p.labelled;
      out.push({ id: 'steps', message: `Give a verdict to ${n} more step${n === 1 ? '' : 's'}` });
    } else if (i.code === 'steps') out.push({ id: 'order', message: i.message });
    else if (i.code === 'outcome') out.push({ id: 'outcome', message: 'Rate the outcome of the run' });
    else if ((i.code === 'score' || i.code === 'off_scale') && i.criterionId !== undefined) {
      const c = criteria.find((x) => x.id === i.criterionId);
      const id = `score:${i.criterionId}`;
      if (c?.required && !out.some((m) => m.id === id)) out.push({ id, message: `Score “${c.label}”`, criterionId: c.id });
    } else if (i.code === 'rationale') out.push({ id: 'rationale', message: 'Write a rationale' });
  }
  return out;
}

/** One-line summary of a step for minimap titles, scope pickers and screen readers. */
export function stepSummary(step: Step): string {
  switch (step.type) {
    case 'message':
      return `${step.role} message`;
    case 'thought':
      return 'thought';
    case 'tool_call':
      return `call ${step.tool}`;
    case 'tool_result':
      return `result${step.tool ? ` of ${step.tool}` : ''}${step.isError ? ' (error)' : ''}`;
  }
}

/** The text of a step as shipped, which span offsets and the "copy original" action refer to. */
export function stepText(step: Step): string {
  if (step.type === 'tool_call') return JSON.stringify({ tool: step.tool, arguments: step.arguments }, null, 2);
  return step.content;
}
