import { publicTask } from '../../../shared/domain/index.ts';
import type { CoreContext } from '../context.ts';
import { loadBundle, loadTask } from '../bundles/queries.ts';
import { requireIdentity } from '../identity/identity.ts';
import { currentAnnotation, history, stateOf, taskDisplayOrder } from '../annotations/lifecycle.ts';
import { nextTask } from '../queue/queue.ts';
import { finalFor } from '../review/final.ts';
import { goldFeedback } from '../annotations/gold-feedback.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

export function taskHandlers(ctx: CoreContext): HandlerMap<MethodsOf<'tasks'>> {
  return {
    'tasks.open': (ref) => {
      const who = requireIdentity(ctx);
      const bundle = loadBundle(ctx, ref.bundleId);
      const { task, position } = loadTask(ctx, ref.bundleId, ref.taskId);
      const revisions = history(ctx, who, ref);
      const annotation = currentAnnotation(ctx, who, ref);
      return {
        bundleId: ref.bundleId,
        bundleVersion: bundle.row.version,
        task: publicTask(task, bundle.settings.showModelNames),
        position: position + 1,
        total: bundle.row.task_count,
        status: !annotation ? 'todo' : annotation.status === 'draft' ? 'draft' : stateOf(annotation),
        displayOrder: taskDisplayOrder(ctx, who, ref),
        annotation,
        history: revisions.map((a) => ({ id: a.id, revision: a.revision, status: a.status, submittedAt: a.submittedAt, updatedAt: a.updatedAt, activeMs: a.activeMs })),
      };
    },
    'tasks.final': (ref) => finalFor(ctx, requireIdentity(ctx), ref),
    'tasks.goldFeedback': (ref) => goldFeedback(ctx, ref),
    'tasks.next': (req) => ({ taskId: nextTask(ctx, requireIdentity(ctx), req.bundleId, req.afterTaskId, req.status, req.direction) }),
  };
}
