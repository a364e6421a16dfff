/**
 * A problem found by the submission rules: a path into the annotation content, a sentence the
 * annotator can act on, and a `code` the UI keys its "still needed" list by. `missing` marks
 * what only means "not finished yet", as opposed to content that is wrong.
 */
export type RuleCode =
  | 'kind'
  | 'preference'
  | 'strength'
  | 'escalation'
  | 'ranking'
  | 'score'
  | 'rationale'
  | 'corrected'
  | 'confirm'
  | 'steps'
  | 'first_error'
  | 'outcome'
  | 'unknown_id'
  | 'off_scale'
  | 'scope';

export interface RuleIssue {
  path: string;
  message: string;
  code: RuleCode;
  missing?: true;
  responseId?: string;
  criterionId?: string;
}

export const missing = (code: RuleCode, path: string, message: string, extra: Pick<RuleIssue, 'responseId' | 'criterionId'> = {}): RuleIssue => ({ code, path, message, missing: true, ...extra });
export const wrong = (code: RuleCode, path: string, message: string, extra: Pick<RuleIssue, 'responseId' | 'criterionId'> = {}): RuleIssue => ({ code, path, message, ...extra });

/** "Response A", "Response B"… in the order this annotator saw them; never the internal id. */
export function responseLabel(displayOrder: readonly string[], responseId: string): string {
  const i = displayOrder.indexOf(responseId);
  return i >= 0 ? `Response ${String.fromCharCode(65 + i)}` : `response "${responseId}"`;
}
