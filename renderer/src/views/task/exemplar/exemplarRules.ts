import type { ExemplarAnswer } from '../../../../../shared/domain/index.ts';
import type { Missing } from '../compare/compareRules.ts';

/** True when the correction is the draft (the core compares trimmed text too). */
export const isUnchanged = (answer: ExemplarAnswer, draft: string): boolean => answer.corrected.trim() === draft.trim();

/** What the UI knows is missing before asking the core (which decides). */
export function missingForExemplar(answer: ExemplarAnswer, draft: string): Missing[] {
  if (answer.corrected.trim() === '') return [{ id: 'corrected', message: 'Write the corrected response' }];
  if (isUnchanged(answer, draft) && !answer.confirmedUnchanged) {
    return [{ id: 'confirm', message: 'Edit the draft, or confirm that it needs no change' }];
  }
  return [];
}
