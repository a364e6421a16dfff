import type { Answer, Escalation } from '../domain/index.ts';

/**
 * "Escalate without an answer", encoded once: an annotation with at least one escalation whose
 * answer carries no judgement (a compare preference of "cannot judge" or none, an empty
 * correction, no trajectory outcome). Bundles allow it by default (`escalation.allowWithoutAnswer`);
 * then nothing else is required of it. An escalation beside a real answer needs the full answer.
 */

/** The escalation the compare view's "Cannot judge" verdict carries. */
export const CANNOT_JUDGE_ESCALATION_ID = 'cannot-judge';

/** Whether the answer carries a judgement at all. */
export function hasAnswer(answer: Answer): boolean {
  if (answer.kind === 'compare') return answer.preference !== null && answer.preference.choice !== 'cannot_judge';
  if (answer.kind === 'exemplar') return answer.corrected.trim() !== '';
  return answer.outcome !== null;
}

export function escalatedWithoutAnswer(content: { answer: Answer; escalations: readonly Escalation[] }): boolean {
  return content.escalations.length > 0 && !hasAnswer(content.answer);
}
