import type { CompareAnswer, Criterion, Escalation, ScoreValue } from '../../../../../shared/domain/index.ts';
import { criteriaFor, scoreFits } from '../../../../../shared/domain/index.ts';
import type { BundleDetail } from '../../../../../shared/contract/index.ts';
import { responseLetter } from '../../../keyboard/registry.ts';

/** Something the UI already knows is missing before the core is asked (the core still decides). */
export interface Missing {
  id: string;
  message: string;
  responseId?: string;
  criterionId?: string;
}

export function compareCriteria(bundle: BundleDetail): Criterion[] {
  return criteriaFor(bundle.rubric, 'compare');
}

export function isResponseChoice(choice: string | undefined, displayOrder: readonly string[]): boolean {
  return choice !== undefined && displayOrder.includes(choice);
}

export function scoreOf(answer: CompareAnswer, responseId: string, criterionId: string): ScoreValue | undefined {
  return answer.scores[responseId]?.[criterionId];
}

/** The escalation the "Cannot judge" verdict carries (the core requires one). */
export const CANNOT_JUDGE_ESCALATION_ID = 'cannot-judge';

export function missingForCompare(
  answer: CompareAnswer,
  bundle: BundleDetail,
  displayOrder: readonly string[],
  escalations: readonly Escalation[] = [],
): Missing[] {
  const out: Missing[] = [];
  const pref = answer.preference;
  if (!pref) out.push({ id: 'preference', message: 'Choose a preference' });
  else if (isResponseChoice(pref.choice, displayOrder) && pref.strength === null) {
    out.push({ id: 'strength', message: 'Choose how much better the preferred response is' });
  }
  if (pref?.choice === 'cannot_judge') {
    if (escalations.length === 0) out.push({ id: 'escalation', message: 'Say why you cannot judge (escalation reason)' });
    if (bundle.rationale === 'required' && answer.rationale.trim() === '') out.push({ id: 'rationale', message: 'Write a rationale' });
    return out;
  }
  out.push(...rankingMissing(answer, displayOrder));
  const criteria = compareCriteria(bundle).filter((c) => c.required);
  displayOrder.forEach((responseId, i) => {
    for (const c of criteria) {
      const v = scoreOf(answer, responseId, c.id);
      if (v === undefined || !scoreFits(c.scale, v)) {
        out.push({
          id: `score:${responseId}:${c.id}`,
          message: `Score “${c.label}” for Response ${responseLetter(i)}`,
          responseId,
          criterionId: c.id,
        });
      }
    }
  });
  if (bundle.rationale === 'required' && answer.rationale.trim() === '') out.push({ id: 'rationale', message: 'Write a rationale' });
  return out;
}

/** Makes a core issue path readable: response ids become "Response A", criterion ids their labels. */
export function describePath(path: string, bundle: BundleDetail | null, displayOrder: readonly string[]): string {
  const labels = new Map<string, string>();
  displayOrder.forEach((id, i) => labels.set(id, `Response ${responseLetter(i)}`));
  for (const c of bundle?.rubric.criteria ?? []) labels.set(c.id, c.label);
  return path
    .replace(/^answer\./, '')
    .split('.')
    .map((seg) => labels.get(seg) ?? seg)
    .join(' › ');
}

/**
 * For more than two responses a full ranking is required (unless none is acceptable), and the
 * best pick must agree with it: a preferred response must be alone at the top; "tie" means the
 * top rank is shared. The preference keeps meaning "the best one, and by how much" for N > 2.
 */
export function rankingMissing(answer: CompareAnswer, displayOrder: readonly string[]): Missing[] {
  if (displayOrder.length <= 2) return [];
  const choice = answer.preference?.choice;
  if (choice === 'both_unacceptable' || choice === 'cannot_judge') return [];
  if (!answer.ranking) return [{ id: 'ranking', message: 'Rank all responses, best first (ties allowed)' }];
  const top = answer.ranking[0] ?? [];
  const name = (id: string): string => `Response ${responseLetter(displayOrder.indexOf(id))}`;
  if (choice && isResponseChoice(choice, displayOrder) && !(top.length === 1 && top[0] === choice)) {
    return [{ id: 'ranking', message: `Your ranking does not put ${name(choice)} (your best pick) alone at the top` }];
  }
  if (choice === 'tie' && top.length < 2) return [{ id: 'ranking', message: 'You chose a tie, but your ranking has a single best response' }];
  return [];
}
