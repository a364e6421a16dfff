import type { BundleDetail } from '../../../../shared/contract/index.ts';

/**
 * Words for the field paths of a re-merge proposal (shared/review/remerge.ts answerFields):
 * "scores.r1.accuracy" reads "Accuracy (r1)", "steps.s2" reads "Step s2". Unknown paths are
 * shown as they are rather than hidden: the reviewer must see every field that was filled.
 */
export function fieldLabel(path: string, bundle: Pick<BundleDetail, 'rubric'>): string {
  const criterion = (id: string): string => bundle.rubric.criteria.find((c) => c.id === id)?.label ?? id;
  const [head, a, b] = path.split('.');
  if (path === 'preference') return 'Preference';
  if (path === 'ranking') return 'Ranking';
  if (path === 'corrected') return 'Corrected response';
  if (path === 'errorTypes') return 'Error types';
  if (path === 'firstErrorStepId') return 'First error step';
  if (path === 'outcome') return 'Outcome';
  if (head === 'scores' && a && b) return `${criterion(b)} (${a})`;
  if ((head === 'scores' || head === 'draftScores') && a) return criterion(a);
  if (head === 'steps' && a) return `Step ${a}`;
  return path;
}

/** The labels of some paths, joined for a sentence ("Preference, Accuracy (r1)"); "none" when empty. */
export function fieldList(paths: readonly string[], bundle: Pick<BundleDetail, 'rubric'>): string {
  return paths.length === 0 ? 'none' : paths.map((p) => fieldLabel(p, bundle)).join(', ');
}
