import type { BundleDetail, ReviewTaskView } from '../../../../shared/contract/index.ts';

/**
 * Words for the field paths of a re-merge proposal (shared/review/remerge.ts answerFields):
 * "scores.r1.accuracy" reads "Response 1 · Accuracy" (as the side-by-side table names it),
 * "steps.s2" reads "Step 2". Unknown paths are
 * shown as they are rather than hidden: the reviewer must see every field that was filled.
 */
export function fieldLabel(path: string, bundle: Pick<BundleDetail, 'rubric'>, task: ReviewTaskView['task']): string {
  const criterion = (id: string): string => bundle.rubric.criteria.find((c) => c.id === id)?.label ?? id;
  const response = (id: string): string => {
    const i = task.kind === 'compare' ? task.responses.findIndex((r) => r.id === id) : -1;
    return i >= 0 ? `Response ${i + 1}` : id;
  };
  const step = (id: string): string => {
    const i = task.kind === 'trajectory' ? task.steps.findIndex((s) => s.id === id) : -1;
    return i >= 0 ? `Step ${i + 1}` : `Step ${id}`;
  };
  const [head, a, b] = path.split('.');
  if (path === 'preference') return 'Preference';
  if (path === 'ranking') return 'Ranking';
  if (path === 'corrected') return 'Corrected response';
  if (path === 'errorTypes') return 'Error types';
  if (path === 'firstErrorStepId') return 'First error step';
  if (path === 'outcome') return 'Outcome';
  if (head === 'scores' && a && b) return `${response(a)} · ${criterion(b)}`;
  if ((head === 'scores' || head === 'draftScores') && a) return criterion(a);
  if (head === 'steps' && a) return step(a);
  return path;
}

/** The labels of some paths, joined for a sentence ("Preference, Accuracy (r1)"); "none" when empty. */
export function fieldList(paths: readonly string[], bundle: Pick<BundleDetail, 'rubric'>, task: ReviewTaskView['task']): string {
  return paths.length === 0 ? 'none' : paths.map((p) => fieldLabel(p, bundle, task)).join(', ');
}
