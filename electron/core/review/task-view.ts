import type { z } from 'zod';
import type { IdentityView, ReviewTaskView } from '../../../shared/contract/index.ts';
import { ReviewTaskView as ReviewTaskViewSchema } from '../../../shared/contract/index.ts';
import { publicTask, Taxonomy, type Adjudication } from '../../../shared/domain/index.ts';
import { disagreement } from '../../../shared/review/disagreement.ts';
import { pseudonyms } from '../../../shared/review/pseudonyms.ts';
import { remerge } from '../../../shared/review/remerge.ts';
import { ApiError } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { loadBundle } from '../bundles/queries.ts';
import { taskWork } from '../work/units.ts';
import type { WorkAdjudication } from '../work/records.ts';
import { loadAdjudicationDraft } from './adjudicate.ts';

type View = z.output<typeof ReviewTaskViewSchema>;

/**
 * Everything the adjudication screen shows for one task: every annotator's latest work on its
 * current content side by side (names replaced by stable pseudonyms when blind), their
 * escalations with whether the decision in force resolved them, the decision and its history,
 * the reviewer's draft, and, when the decision is stale, a re-merge proposal.
 */
export function reviewTask(ctx: CoreContext, who: IdentityView, req: { bundleId: string; taskId: string; blind: boolean }): ReviewTaskView {
  const w = taskWork(ctx.db, req.bundleId, req.taskId);
  if (!w) throw new ApiError('not_found', `No task "${req.taskId}" in bundle "${req.bundleId}"`);
  const bundle = loadBundle(ctx, req.bundleId);
  const taxonomy: Taxonomy = bundle.taxonomy;
  const names = pseudonyms(req.bundleId, req.taskId, w.latest.map((a) => a.annotatorId));
  const decision = w.decision;
  const resolved = new Set((decision?.resolvesEscalations ?? []).map((r) => `${r.annotationId}\u0000${r.escalationId}`));
  const based = new Set(decision?.basedOn ?? []);
  const d = disagreement(w.task, bundle.rubric, w.latest.map((a) => a.content.answer));
  const unseen = w.latest.filter((a) => !based.has(a.id));
  const proposal = decision && w.stale ? remerge(decision.answer, w.latest.map((a) => a.content.answer), unseen.map((a) => a.content.answer)) : null;
  const sourceOf = (id: string | null) => {
    if (id === null) return null;
    const a = w.annotations.find((x) => x.id === id);
    return a ? (names.get(a.annotatorId) ?? null) : null;
  };
  const view: View = {
    bundleId: req.bundleId,
    bundleVersion: w.bundle.version,
    taskHash: w.taskHash,
    task: publicTask(w.task, bundle.settings.showModelNames),
    gold: w.task.gold !== undefined,
    blind: req.blind,
    work: w.latest.map((a) => ({
      pseudonym: names.get(a.annotatorId)!,
      annotatorId: req.blind ? null : a.annotatorId,
      annotatorName: req.blind ? null : a.annotatorName,
      annotationId: a.id,
      revision: a.revision,
      bundleVersion: a.bundleVersion,
      taskHash: a.taskHash,
      origin: a.origin,
      submittedAt: a.submittedAt,
      activeMs: a.activeMs,
      displayOrder: a.displayOrder,
      content: a.content,
      escalations: a.content.escalations.map((e) => ({
        annotationId: a.id,
        escalationId: e.id,
        reason: e.reason,
        reasonLabel: taxonomy.escalationReasons.find((r) => r.id === e.reason)?.label ?? e.reason,
        severity: e.severity,
        note: e.note,
        resolved: resolved.has(`${a.id}\u0000${e.id}`),
      })),
      inDecision: based.has(a.id),
    })),
    earlierWork: w.annotations.filter((a) => a.taskHash !== w.taskHash).length,
    disagreement: { score: d.score, unanimous: d.unanimous, parts: d.parts, criteria: d.criteria },
    adjudication: decision
      ? {
          record: recordOf(decision),
          sourcePseudonym: sourceOf(decision.source),
          origin: decision.origin,
          stale: w.stale,
        }
      : null,
    history: w.adjudications.map((a) => ({ id: a.id, revision: a.revision, reviewerName: a.reviewerName, method: a.method, createdAt: a.createdAt })),
    draft: loadAdjudicationDraft(ctx, who, req),
    stale: w.stale,
    proposal,
  };
  return ReviewTaskViewSchema.parse(view);
}

/** The signed record alone, without where this workstation got it from. */
function recordOf(a: WorkAdjudication): Adjudication {
  const { batch: _batch, origin: _origin, ...record } = a;
  return record;
}
