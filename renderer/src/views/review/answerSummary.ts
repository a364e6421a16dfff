import type { Answer } from '../../../../shared/domain/index.ts';

const CHOICE: Record<string, string> = { tie: 'Tie', both_unacceptable: 'Both unacceptable', cannot_judge: 'Cannot judge' };

/** One line for an answer ("prefers r2, strength 3"), for lists and previews. */
export function answerSummary(a: Answer): string {
  if (a.kind === 'compare') {
    const p = a.preference;
    if (!p) return 'no preference';
    const choice = CHOICE[p.choice] ?? `prefers ${p.choice}`;
    return p.strength ? `${choice}, strength ${p.strength}` : choice;
  }
  if (a.kind === 'exemplar') return a.confirmedUnchanged ? 'draft kept unchanged' : `corrected (${a.corrected.length} characters)`;
  const errors = a.steps.filter((s) => s.verdict !== 'good').length;
  return `${errors} step${errors === 1 ? '' : 's'} not good, first error ${a.firstErrorStepId ?? 'none'}, outcome ${a.outcome ?? 'unset'}`;
}
