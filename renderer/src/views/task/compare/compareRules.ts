import type { CompareAnswer, Criterion, Escalation, ScoreValue } from '../../../../../shared/domain/index.ts';
import { criteriaFor } from '../../../../../shared/domain/index.ts';
import { CANNOT_JUDGE_ESCALATION_ID, compareIssues, escalatedWithoutAnswer, rankingIssues, type RuleCode } from '../../../../../shared/rules/index.ts';
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
export { CANNOT_JUDGE_ESCALATION_ID };

/** The UI's words for what is still needed, keyed by the shared rules' codes. */
const WORDS: Partial<Record<RuleCode, string>> = {
  preference: 'Choose a preference',
  strength: 'Choose how much better the preferred response is',
  escalation: 'Say why you cannot judge (escalation reason)',
  rationale: 'Write a rationale',
};

/**
 * What is still needed, from the shared submission rules (shared/rules) the core enforces on
 * submit: the list and the core cannot disagree. Wrong ids are the core's to report.
 */
export function missingForCompare(
  answer: CompareAnswer,
  bundle: BundleDetail,
  displayOrder: readonly string[],
  escalations: readonly Escalation[] = [],
): Missing[] {
  let issues = compareIssues({ answer, displayOrder, criteria: compareCriteria(bundle), rationale: bundle.rationale, escalated: escalations.length > 0 });
  if (bundle.allowEscalationWithoutAnswer && escalatedWithoutAnswer({ answer, escalations })) issues = issues.filter((i) => !i.missing);
  const criteria = compareCriteria(bundle);
  const out: Missing[] = [];
  for (const i of issues) {
    if (i.code === 'score' || (i.code === 'off_scale' && i.responseId !== undefined && i.criterionId !== undefined)) {
      const responseId = i.responseId!;
      const c = criteria.find((x) => x.id === i.criterionId);
      const id = `score:${responseId}:${i.criterionId!}`;
      if (!c?.required || out.some((m) => m.id === id)) continue;
      out.push({ id, message: `Score “${c.label}” for Response ${responseLetter(displayOrder.indexOf(responseId))}`, responseId, criterionId: c.id });
    } else if (i.code !== 'unknown_id' && i.code !== 'scope' && i.code !== 'off_scale') {
      out.push({ id: i.code, message: WORDS[i.code] ?? i.message });
    }
  }
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

/** The ranking rule for N > 2 (shared/rules/compare.ts), as the view lists it. */
export function rankingMissing(answer: CompareAnswer, displayOrder: readonly string[]): Missing[] {
  return rankingIssues(answer, displayOrder).map((i) => ({ id: 'ranking', message: i.message }));
}
