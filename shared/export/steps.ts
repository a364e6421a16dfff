import type { Step, StepLabel, StepVerdict, TrajectoryAnswer, TrajectoryTask } from '../domain/index.ts';

/**
 * A trajectory split the way step-wise labels need it: the prompt (the leading user and system
 * messages, which the agent did not write) and the steps after it that carry labels.
 */
export function promptLength(task: TrajectoryTask): number {
  let n = 0;
  while (n < task.steps.length) {
    const s = task.steps[n]!;
    if (s.type !== 'message' || s.role === 'assistant') break;
    n++;
  }
  return n;
}

export type NoLabels = 'unlabelled_steps' | 'no_agent_steps' | 'first_error_in_prompt';

export interface LabelOptions {
  /** The label of an "unnecessary" step. */
  unnecessary: boolean;
  /** What happens to steps after the first step labelled false. */
  afterFirstError: 'drop' | 'false';
}

export interface LabelledSteps {
  /** Index into task.steps of the first labelled step (steps before it form the prompt). */
  start: number;
  /** One per step from `start`, in task order (cut after the first false under `drop`). */
  steps: { step: Step; label: boolean }[];
  /** Index into task.steps of the first step labelled false, or null for an all-correct run. */
  firstError: number | null;
}

const LABEL: Record<StepVerdict, boolean | 'unnecessary'> = { good: true, error: false, unsafe: false, unnecessary: 'unnecessary' };

/**
 * Step labels for process supervision (TRL stepwise supervision):
 * - good → true; error → false; unsafe → false; unnecessary → `options.unnecessary` (true by default);
 * - the annotator's first-error step is false whatever its verdict;
 * - the first error is the earlier of the marked first-error step and the first step labelled false;
 * - steps after it are dropped (`drop`, the default: labels after an error are not trusted) or
 *   all labelled false (`false`);
 * - every step after the prompt must have a verdict, or there are no labels.
 */
export function labelSteps(task: TrajectoryTask, answer: TrajectoryAnswer, options: LabelOptions): LabelledSteps | { none: NoLabels } {
  const start = promptLength(task);
  if (start >= task.steps.length) return { none: 'no_agent_steps' };
  const byStep = new Map<string, StepLabel>(answer.steps.map((l) => [l.stepId, l]));
  const marked = answer.firstErrorStepId === null ? -1 : task.steps.findIndex((s) => s.id === answer.firstErrorStepId);
  if (marked >= 0 && marked < start) return { none: 'first_error_in_prompt' };
  const steps: { step: Step; label: boolean }[] = [];
  let firstError: number | null = null;
  for (let i = start; i < task.steps.length; i++) {
    const step = task.steps[i]!;
    const verdict = byStep.get(step.id)?.verdict ?? null;
    if (verdict === null) return { none: 'unlabelled_steps' };
    const mapped = LABEL[verdict];
    let label = mapped === 'unnecessary' ? options.unnecessary : mapped;
    if (i === marked || firstError !== null) label = false;
    steps.push({ step, label });
    if (!label && firstError === null) {
      firstError = i;
      if (options.afterFirstError === 'drop') break;
    }
  }
  return { start, steps, firstError };
}

/** Steps an agent writes (the targets a correction can train); tool results and user turns are the world's. */
export function agentWritten(step: Step): boolean {
  return step.type === 'thought' || step.type === 'tool_call' || (step.type === 'message' && step.role === 'assistant');
}

export type NoCorrection = NoLabels | 'no_error' | 'no_correction' | 'not_agent_step';

/**
 * The correction that can train a model: the first error step (as `labelSteps` finds it, with
 * "unnecessary" counted as correct) when it is a step the agent wrote and the annotator wrote
 * its corrected text. Steps after it followed a wrong history and are never used.
 */
export function firstCorrection(task: TrajectoryTask, answer: TrajectoryAnswer): { index: number; corrected: string } | { none: NoCorrection } {
  const labelled = labelSteps(task, answer, { unnecessary: true, afterFirstError: 'drop' });
  if ('none' in labelled) return labelled;
  if (labelled.firstError === null) return { none: 'no_error' };
  const step = task.steps[labelled.firstError]!;
  if (!agentWritten(step)) return { none: 'not_agent_step' };
  const corrected = answer.steps.find((l) => l.stepId === step.id)?.corrected ?? '';
  if (corrected.trim() === '') return { none: 'no_correction' };
  return { index: labelled.firstError, corrected };
}
