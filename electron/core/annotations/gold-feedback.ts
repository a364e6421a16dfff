import type { GoldFeedbackView } from '../../../shared/contract/insight-views.ts';
import type { Answer, Task } from '../../../shared/domain/index.ts';
import type { CoreContext } from '../context.ts';
import { loadBundle, loadTask } from '../bundles/queries.ts';
import { requireIdentity } from '../identity/identity.ts';
import { currentAnnotation } from './lifecycle.ts';

interface TaskRef {
  readonly bundleId: string;
  readonly taskId: string;
}

/**
 * Calibration feedback: on a gold item, after the annotator submitted, the reference answer
 * beside theirs. Responses are named by the letter the annotator saw them under (their display
 * order), so "Response B" means the same to them here as on the task. Never before submission:
 * gold must not steer the answer it is meant to check.
 */
export function goldFeedback(ctx: CoreContext, ref: TaskRef): GoldFeedbackView {
  const who = requireIdentity(ctx);
  const bundle = loadBundle(ctx, ref.bundleId);
  const { task } = loadTask(ctx, ref.bundleId, ref.taskId);
  if (!task.gold) return { available: false, reason: 'not_gold' };
  const mine = currentAnnotation(ctx, who, ref);
  if (!mine || mine.status !== 'submitted') return { available: false, reason: 'not_submitted' };
  if (!bundle.settings.calibrationFeedback) return { available: false, reason: 'hidden_by_bundle' };
  return { available: true, ...linesOf(task, mine.content.answer, mine.displayOrder) };
}

const VERDICTS: Record<string, string> = { tie: 'A tie', both_unacceptable: 'Both unacceptable', cannot_judge: 'Cannot judge' };

function linesOf(task: Task, answer: Answer, displayOrder: readonly string[]): Omit<Extract<GoldFeedbackView, { available: true }>, 'available'> {
  if (task.kind === 'compare' && task.gold && answer.kind === 'compare') {
    const order = displayOrder.length === task.responses.length ? displayOrder : task.responses.map((r) => r.id);
    const name = (choice: string | null | undefined) => {
      if (!choice) return 'No preference';
      if (VERDICTS[choice]) return VERDICTS[choice]!;
      const i = order.indexOf(choice);
      return i < 0 ? choice : `Response ${String.fromCharCode(65 + i)}`;
    };
    const yours = answer.preference?.choice ?? null;
    return { lines: [{ label: 'Preferred', reference: name(task.gold.preferred), yours: name(yours), match: yours === task.gold.preferred }], note: task.gold.note ?? null };
  }
  if (task.kind === 'trajectory' && task.gold && answer.kind === 'trajectory') {
    const step = (id: string | null) => {
      if (id === null) return 'No error';
      const i = task.steps.findIndex((s) => s.id === id);
      return i < 0 ? id : `Step ${i + 1}`;
    };
    return { lines: [{ label: 'First error', reference: step(task.gold.firstErrorStepId), yours: step(answer.firstErrorStepId), match: answer.firstErrorStepId === task.gold.firstErrorStepId }], note: null };
  }
  if (task.kind === 'exemplar' && task.gold && answer.kind === 'exemplar') {
    return { lines: [{ label: 'Corrected text', reference: task.gold.reference, yours: answer.corrected, match: answer.corrected.trim() === task.gold.reference.trim() }], note: null };
  }
  return { lines: [], note: null };
}
