import { ApiError, type TaskView } from '../../../shared/contract/index.ts';
import { publicTask } from '../../../shared/domain/index.ts';
import type { CoreContext } from '../context.ts';
import { loadBundle } from '../bundles/queries.ts';
import { taskWork } from '../work/units.ts';

/**
 * One annotator's work on a task as that annotator saw it (their response order, their latest
 * submitted revision, their revision list), from the read model of all work, local or received:
 * what a reviewer opens read-only from the flagged list or the adjudication screen.
 */
export function annotatorWorkView(ctx: CoreContext, ref: { bundleId: string; taskId: string; annotatorId: string }): TaskView & { taskChanged: boolean } {
  const w = taskWork(ctx.db, ref.bundleId, ref.taskId);
  if (!w) throw new ApiError('not_found', `No task "${ref.taskId}" in bundle "${ref.bundleId}"`);
  const theirs = w.annotations.filter((a) => a.annotatorId === ref.annotatorId).sort((a, b) => a.revision - b.revision);
  const latest = theirs.at(-1);
  if (!latest) throw new ApiError('not_found', 'This annotator has no submitted work on this task here. Bring their work in first.');
  const bundle = loadBundle(ctx, ref.bundleId);
  return {
    bundleId: ref.bundleId,
    bundleVersion: bundle.row.version,
    task: publicTask(w.task, bundle.settings.showModelNames),
    position: w.position + 1,
    total: bundle.row.task_count,
    status: latest.content.escalations.length > 0 ? 'escalated' : 'submitted',
    displayOrder: latest.displayOrder.length > 0 ? latest.displayOrder : w.task.kind === 'compare' ? w.task.responses.map((r) => r.id) : [],
    annotation: latest,
    history: theirs.map((a) => ({ id: a.id, revision: a.revision, status: a.status, submittedAt: a.submittedAt, updatedAt: a.updatedAt, activeMs: a.activeMs })),
    taskChanged: latest.taskHash !== w.taskHash,
  };
}
