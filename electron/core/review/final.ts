import type { FinalView, IdentityView } from '../../../shared/contract/index.ts';
import { ApiError } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { latestByAuthor } from '../work/records.ts';
import { taskWork } from '../work/units.ts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * "Mine vs final": the author's latest submitted answer beside the decision in force once it has
 * reached this workstation (pulled from the server or carried by hand), with the rationale.
 */
export function finalFor(ctx: CoreContext, who: IdentityView, ref: { bundleId: string; taskId: string }): FinalView {
  const w = taskWork(ctx.db, ref.bundleId, ref.taskId);
  if (!w) throw new ApiError('not_found', `No task "${ref.taskId}" in bundle "${ref.bundleId}"`);
  const mine = latestByAuthor(w.annotations.filter((a) => a.annotatorId === who.userId))[0] ?? null;
  const d = w.decision;
  return {
    mine: mine ? { annotationId: mine.id, revision: mine.revision, answer: mine.content.answer } : null,
    final: d
      ? {
          adjudicationId: d.id,
          revision: d.revision,
          reviewerName: d.reviewerName,
          method: d.method,
          answer: d.answer,
          rationale: d.rationale,
          createdAt: d.createdAt,
          basedOnMine: mine !== null && d.basedOn.includes(mine.id),
          sameAsMine: mine !== null && same({ ...mine.content.answer, rationale: '' }, { ...d.answer, rationale: '' }),
        }
      : null,
  };
}
