import type { CoreContext } from '../context.ts';
import { requireIdentity } from '../identity/identity.ts';
import { discardAdjudicationDraft, saveAdjudicationDraft, submitAdjudication } from '../review/adjudicate.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

/** Reviewers' decisions; who may call these is decided before they run (shared/contract/roles.ts). */
export function adjudicationHandlers(ctx: CoreContext): HandlerMap<MethodsOf<'adjudications'>> {
  return {
    'adjudications.saveDraft': (req) => saveAdjudicationDraft(ctx, requireIdentity(ctx), req),
    'adjudications.submit': (req) => submitAdjudication(ctx, requireIdentity(ctx), req),
    'adjudications.discardDraft': (ref) => ({ discarded: discardAdjudicationDraft(ctx, requireIdentity(ctx), ref) }),
  };
}
