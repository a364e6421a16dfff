import type { Issue } from '../../../shared/contract/index.ts';
import {
  criteriaFor,
  scoreFits,
  type AnnotationContent,
  type BundleSettings,
  type Rubric,
  type Scope,
  type Task,
  type Taxonomy,
} from '../../../shared/domain/index.ts';

export interface RuleInput {
  task: Task;
  content: AnnotationContent;
  rubric: Rubric;
  taxonomy: Taxonomy;
  settings: BundleSettings;
  displayOrder: readonly string[];
}

/** "Response A", "Response B"… in the order this annotator saw them; never the internal id. */
export function responseLabel(displayOrder: readonly string[], responseId: string): string {
  const i = displayOrder.indexOf(responseId);
  return i >= 0 ? `Response ${String.fromCharCode(65 + i)}` : `response "${responseId}"`;
}

/** A problem that only means "not finished yet", as opposed to content that is wrong. */
export type RuleIssue = Issue & { missing?: true };
const missing = (path: string, message: string): RuleIssue => ({ path, message, missing: true });

/**
 * Everything that must hold before an annotation may be submitted, each with a path into the
 * content and a sentence the annotator can act on. When the task is escalated and the bundle
 * allows escalating without an answer, unfinished parts are no longer required; wrong content
 * (unknown ids, values off the scale) always is.
 */
export function submissionIssues(input: RuleInput): Issue[] {
  const all = answerIssues(input);
  const withoutAnswer = input.content.escalations.length > 0 && input.settings.escalation.allowWithoutAnswer;
  return all.filter((i) => !(withoutAnswer && i.missing)).map(({ path, message }) => ({ path, message }));
}

function answerIssues(input: RuleInput): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const { task, content } = input;
  if (content.answer.kind !== task.kind) {
    return [{ path: 'answer.kind', message: `This is a ${task.kind} task; the answer is for a ${content.answer.kind} task` }];
  }
  issues.push(...scopeIssues(input));
  const escalated = content.escalations.length > 0;

  if (content.answer.kind === 'compare' && task.kind === 'compare') {
    const a = content.answer;
    const ids = new Set(task.responses.map((r) => r.id));
    const label = (id: string) => responseLabel(input.displayOrder, id);
    const choice = a.preference?.choice;
    if (!a.preference) issues.push(missing('answer.preference', 'Choose which response is better (or tie, both unacceptable, cannot judge)'));
    else if (!['tie', 'both_unacceptable', 'cannot_judge'].includes(a.preference.choice)) {
      if (!ids.has(a.preference.choice)) issues.push({ path: 'answer.preference.choice', message: `Unknown response "${a.preference.choice}"` });
      if (a.preference.strength === null) issues.push(missing('answer.preference.strength', 'Say how much better the preferred response is'));
    }
    if (choice === 'cannot_judge' && !escalated) {
      issues.push({ path: 'escalations', message: '"Cannot judge" needs an escalation saying why' });
    }
    if (a.ranking) {
      const flat = a.ranking.flat();
      if (flat.length !== ids.size || new Set(flat).size !== flat.length || flat.some((id) => !ids.has(id))) {
        issues.push({ path: 'answer.ranking', message: 'The ranking must place every response exactly once' });
      }
    }
    const criteria = criteriaFor(input.rubric, 'compare');
    for (const [rid, scores] of Object.entries(a.scores)) {
      if (!ids.has(rid)) issues.push({ path: `answer.scores.${rid}`, message: `Scores given for unknown response "${rid}"` });
      for (const [cid, value] of Object.entries(scores)) {
        const c = criteria.find((x) => x.id === cid);
        if (!c) issues.push({ path: `answer.scores.${rid}.${cid}`, message: `Unknown criterion "${cid}"` });
        else if (!scoreFits(c.scale, value)) issues.push({ path: `answer.scores.${rid}.${cid}`, message: `${label(rid)}: "${String(value)}" is not on the scale of ${c.label}` });
      }
    }
    if (choice !== 'cannot_judge') {
      for (const c of criteria.filter((x) => x.required)) {
        for (const rid of input.displayOrder) {
          if (a.scores[rid]?.[c.id] === undefined) issues.push(missing(`answer.scores.${rid}.${c.id}`, `${label(rid)}: ${c.label} is required`));
        }
      }
    }
    if (input.settings.rationale === 'required' && a.rationale.trim() === '') issues.push(missing('answer.rationale', 'Write a rationale for your judgement'));
  }

  if (content.answer.kind === 'exemplar' && task.kind === 'exemplar') {
    const a = content.answer;
    if (a.corrected.trim() === '') issues.push(missing('answer.corrected', 'Write the corrected response'));
    else if (a.corrected.trim() === task.draft.trim() && !a.confirmedUnchanged) {
      issues.push({ path: 'answer.confirmedUnchanged', message: 'The correction is identical to the model draft: confirm that the draft needs no change' });
    }
    issues.push(...scoreIssues(a.draftScores, criteriaFor(input.rubric, 'exemplar'), 'answer.draftScores', false));
    issues.push(...errorTypeIssues(a.errorTypes, input.taxonomy, 'answer.errorTypes'));
  }

  if (content.answer.kind === 'trajectory' && task.kind === 'trajectory') {
    const a = content.answer;
    const stepIds = new Set(task.steps.map((s) => s.id));
    a.steps.forEach((s, i) => {
      if (!stepIds.has(s.stepId)) issues.push({ path: `answer.steps[${i}].stepId`, message: `Unknown step "${s.stepId}"` });
      issues.push(...errorTypeIssues(s.errorTypes, input.taxonomy, `answer.steps[${i}].errorTypes`));
    });
    const labelled = new Set(a.steps.filter((s) => s.verdict !== null).map((s) => s.stepId));
    const unlabelled = task.steps.filter((s) => !labelled.has(s.id)).length;
    if (unlabelled > 0) issues.push(missing('answer.steps', `${unlabelled} step${unlabelled === 1 ? ' has' : 's have'} no verdict yet`));
    if (a.firstErrorStepId !== null && !stepIds.has(a.firstErrorStepId)) issues.push({ path: 'answer.firstErrorStepId', message: `Unknown step "${a.firstErrorStepId}"` });
    if (a.outcome === null) issues.push(missing('answer.outcome', 'Rate the outcome of the run'));
    issues.push(...scoreIssues(a.scores, criteriaFor(input.rubric, 'trajectory'), 'answer.scores', true));
    if (input.settings.rationale === 'required' && a.rationale.trim() === '') issues.push(missing('answer.rationale', 'Write a rationale for your judgement'));
  }
  return issues;
}

function scoreIssues(scores: Record<string, unknown>, criteria: ReturnType<typeof criteriaFor>, path: string, enforceRequired: boolean): RuleIssue[] {
  const issues: RuleIssue[] = [];
  for (const [cid, value] of Object.entries(scores)) {
    const c = criteria.find((x) => x.id === cid);
    if (!c) issues.push({ path: `${path}.${cid}`, message: `Unknown criterion "${cid}"` });
    else if (!scoreFits(c.scale, value as never)) issues.push({ path: `${path}.${cid}`, message: `"${String(value)}" is not on the scale of ${c.label}` });
  }
  if (enforceRequired) {
    for (const c of criteria.filter((x) => x.required)) {
      if (scores[c.id] === undefined) issues.push(missing(`${path}.${c.id}`, `${c.label} is required`));
    }
  }
  return issues;
}

function errorTypeIssues(ids: readonly string[], taxonomy: Taxonomy, path: string): Issue[] {
  const known = new Set(taxonomy.errorTypes.map((e) => e.id));
  return ids.filter((id) => !known.has(id)).map((id) => ({ path, message: `Unknown error type "${id}"` }));
}

function scopeIssues({ task, content, taxonomy }: RuleInput): Issue[] {
  const issues: Issue[] = [];
  const responseIds = task.kind === 'compare' ? new Set(task.responses.map((r) => r.id)) : new Set<string>();
  const stepIds = task.kind === 'trajectory' ? new Set(task.steps.map((s) => s.id)) : new Set<string>();
  const checkScope = (scope: Scope, path: string) => {
    if (scope.type === 'response' && !responseIds.has(scope.responseId)) issues.push({ path, message: `Unknown response "${scope.responseId}"` });
    if (scope.type === 'step' && !stepIds.has(scope.stepId)) issues.push({ path, message: `Unknown step "${scope.stepId}"` });
    if (scope.type === 'span' && scope.end < scope.start) issues.push({ path, message: 'A highlighted span must not end before it starts' });
  };
  const categories = new Set(taxonomy.assumptionCategories.map((c) => c.id));
  content.assumptions.forEach((a, i) => {
    if (!categories.has(a.category)) issues.push({ path: `assumptions[${i}].category`, message: `Unknown assumption category "${a.category}"` });
    checkScope(a.scope, `assumptions[${i}].scope`);
  });
  const reasons = new Set(taxonomy.escalationReasons.map((r) => r.id));
  content.escalations.forEach((e, i) => {
    if (!reasons.has(e.reason)) issues.push({ path: `escalations[${i}].reason`, message: `Unknown escalation reason "${e.reason}"` });
    checkScope(e.scope, `escalations[${i}].scope`);
  });
  return issues;
}

/**
 * An adjudication's answer is final: every part must be complete and correct, with no
 * escalation to excuse a missing one (a reviewer resolves escalations; they do not raise them).
 */
export function adjudicationIssues(input: Omit<RuleInput, 'content' | 'displayOrder'> & { answer: AnnotationContent['answer'] }): Issue[] {
  const order = input.task.kind === 'compare' ? input.task.responses.map((r) => r.id) : [];
  return answerIssues({ ...input, content: { answer: input.answer, assumptions: [], escalations: [], highlights: [] }, displayOrder: order })
    .filter((i) => !(i.path === 'escalations' && input.answer.kind === 'compare'))
    .map(({ path, message }) => ({ path, message }));
}

/**
 * Whether the answer carries a judgement at all: a preference other than "cannot judge", a
 * corrected response, an outcome. The one encoding of "escalated without an answer".
 */
export function hasAnswer(answer: AnnotationContent['answer']): boolean {
  if (answer.kind === 'compare') return answer.preference !== null && answer.preference.choice !== 'cannot_judge';
  if (answer.kind === 'exemplar') return answer.corrected.trim() !== '';
  return answer.outcome !== null;
}

export function escalatedWithoutAnswer(content: Pick<AnnotationContent, 'answer' | 'escalations'>): boolean {
  return content.escalations.length > 0 && !hasAnswer(content.answer);
}
