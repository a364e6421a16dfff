import { publicTask } from '../../../shared/domain/index.ts';
import type { CoreContext } from '../context.ts';
import { loadBundle, loadTask } from '../bundles/queries.ts';
import { requireIdentity } from '../identity/identity.ts';
import { currentAnnotation, discardDraft, history, revise, saveDraft, stateOf, submit, taskDisplayOrder } from '../annotations/lifecycle.ts';
import type { HandlerMap } from './types.ts';

type Methods = 'tasks.open' | 'annotations.saveDraft' | 'annotations.submit' | 'annotations.revise' | 'annotations.discardDraft' | 'annotations.history';

export function annotationHandlers(ctx: CoreContext): HandlerMap<Methods> {
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
    'annotations.saveDraft': (req) => saveDraft(ctx, requireIdentity(ctx), req, req.content, req.activeMsDelta),
    'annotations.submit': (req) => submit(ctx, requireIdentity(ctx), req, req.content, req.activeMsDelta),
    'annotations.revise': (ref) => revise(ctx, requireIdentity(ctx), ref),
    'annotations.discardDraft': (ref) => ({ discarded: discardDraft(ctx, requireIdentity(ctx), ref) }),
    'annotations.history': (ref) => history(ctx, requireIdentity(ctx), ref),
  };
}
