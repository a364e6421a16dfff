import type { CompareAnswer, Criterion } from '../domain/index.ts';
import { missing, responseLabel, wrong, type RuleIssue } from './issues.ts';
import { scoreIssues } from './scores.ts';

export interface CompareRuleInput {
  answer: CompareAnswer;
  /** The task's response ids in the order this annotator saw them. */
  displayOrder: readonly string[];
  criteria: readonly Criterion[];
  rationale: 'required' | 'optional';
  /** Whether the annotation carries an escalation ("cannot judge" needs one). */
  escalated: boolean;
}

const VERDICTS = new Set(['tie', 'both_unacceptable', 'cannot_judge']);

/**
 * For more than two responses a full ranking is required (unless none is acceptable or the
 * annotator cannot judge), it places every response exactly once, and the best pick agrees with
 * it: a preferred response alone at the top; "tie" a shared top rank.
 */
export function rankingIssues(answer: CompareAnswer, displayOrder: readonly string[]): RuleIssue[] {
  const ids = new Set(displayOrder);
  const choice = answer.preference?.choice;
  if (answer.ranking) {
    const flat = answer.ranking.flat();
    if (flat.length !== ids.size || new Set(flat).size !== flat.length || flat.some((id) => !ids.has(id))) {
      return [wrong('ranking', 'answer.ranking', 'The ranking must place every response exactly once')];
    }
  }
  if (displayOrder.length <= 2 || choice === 'both_unacceptable' || choice === 'cannot_judge') return [];
  if (!answer.ranking) return [missing('ranking', 'answer.ranking', 'Rank all responses, best first (ties allowed)')];
  const top = answer.ranking[0] ?? [];
  if (choice !== undefined && !VERDICTS.has(choice) && ids.has(choice) && !(top.length === 1 && top[0] === choice)) {
    return [wrong('ranking', 'answer.ranking', `Your ranking does not put ${responseLabel(displayOrder, choice)} (your best pick) alone at the top`)];
  }
  if (choice === 'tie' && top.length < 2) return [wrong('ranking', 'answer.ranking', 'You chose a tie, but your ranking has a single best response')];
  return [];
}

/** Everything a compare answer needs, in the order the view lists it. */
export function compareIssues(input: CompareRuleInput): RuleIssue[] {
  const { answer: a, displayOrder } = input;
  const issues: RuleIssue[] = [];
  const ids = new Set(displayOrder);
  const label = (id: string) => responseLabel(displayOrder, id);
  const choice = a.preference?.choice;
  if (!a.preference) issues.push(missing('preference', 'answer.preference', 'Choose which response is better (or tie, both unacceptable, cannot judge)'));
  else if (!VERDICTS.has(a.preference.choice)) {
    if (!ids.has(a.preference.choice)) issues.push(wrong('unknown_id', 'answer.preference.choice', `Unknown response "${a.preference.choice}"`));
    if (a.preference.strength === null) issues.push(missing('strength', 'answer.preference.strength', 'Say how much better the preferred response is'));
  }
  if (choice === 'cannot_judge' && !input.escalated) issues.push(missing('escalation', 'escalations', '"Cannot judge" needs an escalation saying why'));
  issues.push(...rankingIssues(a, displayOrder));
  for (const [rid, scores] of Object.entries(a.scores)) {
    if (!ids.has(rid)) issues.push(wrong('unknown_id', `answer.scores.${rid}`, `Scores given for unknown response "${rid}"`));
    else issues.push(...scoreIssues(scores, input.criteria, `answer.scores.${rid}`, { required: false, label: label(rid), responseId: rid }));
  }
  if (choice !== 'cannot_judge') {
    for (const rid of displayOrder) issues.push(...scoreIssues(a.scores[rid] ?? {}, input.criteria, `answer.scores.${rid}`, { required: true, label: label(rid), responseId: rid }).filter((i) => i.missing));
  }
  if (input.rationale === 'required' && a.rationale.trim() === '') issues.push(missing('rationale', 'answer.rationale', 'Write a rationale for your judgement'));
  return issues;
}
