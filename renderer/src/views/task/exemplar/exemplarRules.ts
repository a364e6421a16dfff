import type { ExemplarAnswer } from '../../../../../shared/domain/index.ts';
import { exemplarIssues, isUnchanged } from '../../../../../shared/rules/index.ts';
import type { Missing } from '../compare/compareRules.ts';

/** True when the correction is the draft (the core compares trimmed text too). */
export { isUnchanged };

const WORDS: Record<string, string> = { corrected: 'Write the corrected response', confirm: 'Edit the draft, or confirm that it needs no change' };

/** What is still needed, from the shared submission rules the core enforces (shared/rules/exemplar.ts). */
export function missingForExemplar(answer: ExemplarAnswer, draft: string): Missing[] {
  return exemplarIssues({ answer, draft, criteria: [] })
    .filter((i) => i.code === 'corrected' || i.code === 'confirm')
    .map((i) => ({ id: i.code, message: WORDS[i.code] ?? i.message }));
}
