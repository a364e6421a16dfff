import { criteriaFor, type AnnotationContent, type Answer, type BundleSettings, type Rubric, type Scope, type Task, type Taxonomy } from '../domain/index.ts';
import { compareIssues } from './compare.ts';
import { escalatedWithoutAnswer } from './escalation.ts';
import { exemplarIssues } from './exemplar.ts';
import { wrong, type RuleIssue } from './issues.ts';
import { trajectoryIssues } from './trajectory.ts';

/**
 * The submission rules, one set for every path: the core applies them to a UI or CLI submit, to
 * every record received in another device's batch, and to adjudications; the renderer builds its
 * "still needed" list from the same functions (renderer/src/views/task/*\/*Rules.ts).
 */
export interface RuleInput {
  task: Task;
  content: AnnotationContent;
  rubric: Rubric;
  taxonomy: Taxonomy;
  settings: Pick<BundleSettings, 'rationale' | 'escalation'>;
  displayOrder: readonly string[];
}

/** Every issue of the answer, unfinished and wrong alike, ignoring escalation. */
export function answerIssues(input: RuleInput): RuleIssue[] {
  const { task, content, rubric, settings } = input;
  const a = content.answer;
  if (a.kind !== task.kind) return [wrong('kind', 'answer.kind', `This is a ${task.kind} task; the answer is for a ${a.kind} task`)];
  const issues = [...scopeIssues(input)];
  if (a.kind === 'compare' && task.kind === 'compare') {
    issues.push(...compareIssues({ answer: a, displayOrder: input.displayOrder, criteria: criteriaFor(rubric, 'compare'), rationale: settings.rationale, escalated: content.escalations.length > 0 }));
  } else if (a.kind === 'exemplar' && task.kind === 'exemplar') {
    issues.push(...exemplarIssues({ answer: a, draft: task.draft, criteria: criteriaFor(rubric, 'exemplar') }));
    issues.push(...errorTypeIssues(a.errorTypes, input.taxonomy, 'answer.errorTypes'));
  } else if (a.kind === 'trajectory' && task.kind === 'trajectory') {
    issues.push(...trajectoryIssues({ answer: a, steps: task.steps, criteria: criteriaFor(rubric, 'trajectory'), rationale: settings.rationale }));
    a.steps.forEach((s, i) => issues.push(...errorTypeIssues(s.errorTypes, input.taxonomy, `answer.steps[${i}].errorTypes`)));
  }
  return issues;
}

/**
 * Everything that must hold before an annotation may be submitted. Escalated without an answer
 * (shared/rules/escalation.ts) where the bundle allows it, unfinished parts are not required;
 * wrong content (unknown ids, values off the scale, labels out of order) always is.
 */
export function submissionIssues(input: RuleInput): RuleIssue[] {
  const all = answerIssues(input);
  if (!escalatedWithoutAnswer(input.content)) return all;
  if (!input.settings.escalation.allowWithoutAnswer) {
    return [wrong('escalation', 'answer', 'This bundle needs an answer even when you escalate: answer as best you can, and keep the escalation'), ...all];
  }
  return all.filter((i) => !i.missing);
}

/**
 * An adjudication's answer is final: complete and correct, with no escalation to excuse a
 * missing part, and never "cannot judge" (a reviewer settles cases; unresolved ones stay open).
 */
export function adjudicationIssues(input: Omit<RuleInput, 'content' | 'displayOrder'> & { answer: Answer }): RuleIssue[] {
  const order = input.task.kind === 'compare' ? input.task.responses.map((r) => r.id) : [];
  if (input.answer.kind === 'compare' && input.answer.preference?.choice === 'cannot_judge') {
    return [wrong('preference', 'answer.preference.choice', 'A decision cannot be "cannot judge": decide, or leave the task undecided')];
  }
  return answerIssues({ ...input, content: { answer: input.answer, assumptions: [], escalations: [], highlights: [] }, displayOrder: order });
}

function errorTypeIssues(ids: readonly string[], taxonomy: Taxonomy, path: string): RuleIssue[] {
  const known = new Set(taxonomy.errorTypes.map((e) => e.id));
  return ids.filter((id) => !known.has(id)).map((id) => wrong('unknown_id', path, `Unknown error type "${id}"`));
}

function scopeIssues({ task, content, taxonomy }: RuleInput): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const responseIds = task.kind === 'compare' ? new Set(task.responses.map((r) => r.id)) : new Set<string>();
  const stepIds = task.kind === 'trajectory' ? new Set(task.steps.map((s) => s.id)) : new Set<string>();
  const checkScope = (scope: Scope, path: string) => {
    if (scope.type === 'response' && !responseIds.has(scope.responseId)) issues.push(wrong('scope', path, `Unknown response "${scope.responseId}"`));
    if (scope.type === 'step' && !stepIds.has(scope.stepId)) issues.push(wrong('scope', path, `Unknown step "${scope.stepId}"`));
    if (scope.type === 'span' && scope.end < scope.start) issues.push(wrong('scope', path, 'A highlighted span must not end before it starts'));
  };
  const categories = new Set(taxonomy.assumptionCategories.map((c) => c.id));
  content.assumptions.forEach((a, i) => {
    if (!categories.has(a.category)) issues.push(wrong('unknown_id', `assumptions[${i}].category`, `Unknown assumption category "${a.category}"`));
    checkScope(a.scope, `assumptions[${i}].scope`);
  });
  const reasons = new Set(taxonomy.escalationReasons.map((r) => r.id));
  content.escalations.forEach((e, i) => {
    if (!reasons.has(e.reason)) issues.push(wrong('unknown_id', `escalations[${i}].reason`, `Unknown escalation reason "${e.reason}"`));
    checkScope(e.scope, `escalations[${i}].scope`);
  });
  return issues;
}
