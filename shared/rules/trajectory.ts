import type { Criterion, Step, TrajectoryAnswer } from '../domain/index.ts';
import { missing, wrong, type RuleIssue } from './issues.ts';
import { scoreIssues } from './scores.ts';

/**
 * One label per step, in task order: a step-wise export (prompt, completions, labels) zips
 * labels with steps by position, so a skipped, repeated or reordered label would shift every
 * label after it. Labels may be fewer while the work is unfinished (a subsequence in order).
 */
export function stepOrderIssues(answer: TrajectoryAnswer, steps: readonly Step[]): RuleIssue[] {
  const index = new Map(steps.map((s, i) => [s.id, i]));
  let last = -1;
  for (const [i, l] of answer.steps.entries()) {
    const at = index.get(l.stepId);
    if (at === undefined) return [wrong('unknown_id', `answer.steps[${i}].stepId`, `Unknown step "${l.stepId}"`)];
    if (at <= last) return [wrong('steps', `answer.steps[${i}].stepId`, 'Step labels must follow the order of the run, one per step')];
    last = at;
  }
  return [];
}

export function trajectoryIssues(input: { answer: TrajectoryAnswer; steps: readonly Step[]; criteria: readonly Criterion[]; rationale: 'required' | 'optional' }): RuleIssue[] {
  const { answer: a, steps } = input;
  const issues: RuleIssue[] = [...stepOrderIssues(a, steps)];
  const labelled = new Set(a.steps.filter((s) => s.verdict !== null).map((s) => s.stepId));
  const unlabelled = steps.filter((s) => !labelled.has(s.id)).length;
  if (unlabelled > 0) issues.push(missing('steps', 'answer.steps', `${unlabelled} step${unlabelled === 1 ? ' has' : 's have'} no verdict yet`));
  else if (a.steps.length !== steps.length) issues.push(wrong('steps', 'answer.steps', 'Step labels must follow the order of the run, one per step'));
  if (a.firstErrorStepId !== null && !steps.some((s) => s.id === a.firstErrorStepId)) issues.push(wrong('unknown_id', 'answer.firstErrorStepId', `Unknown step "${a.firstErrorStepId}"`));
  if (a.outcome === null) issues.push(missing('outcome', 'answer.outcome', 'Rate the outcome of the run'));
  issues.push(...scoreIssues(a.scores, input.criteria, 'answer.scores', { required: true }));
  if (input.rationale === 'required' && a.rationale.trim() === '') issues.push(missing('rationale', 'answer.rationale', 'Write a rationale for your judgement'));
  return issues;
}
