import type { Criterion, ExemplarAnswer } from '../domain/index.ts';
import { missing, wrong, type RuleIssue } from './issues.ts';
import { scoreIssues } from './scores.ts';

/** True when the correction is the draft (trimmed text compared). */
export const isUnchanged = (answer: ExemplarAnswer, draft: string): boolean => answer.corrected.trim() === draft.trim();

/** A corrected response is required; submitting the draft unchanged must be confirmed. Draft scores are optional. */
export function exemplarIssues(input: { answer: ExemplarAnswer; draft: string; criteria: readonly Criterion[] }): RuleIssue[] {
  const a = input.answer;
  const issues: RuleIssue[] = [];
  if (a.corrected.trim() === '') issues.push(missing('corrected', 'answer.corrected', 'Write the corrected response'));
  else if (isUnchanged(a, input.draft) && !a.confirmedUnchanged) {
    issues.push(wrong('confirm', 'answer.confirmedUnchanged', 'The correction is identical to the model draft: confirm that the draft needs no change'));
  }
  issues.push(...scoreIssues(a.draftScores, input.criteria, 'answer.draftScores', { required: false }));
  return issues;
}
