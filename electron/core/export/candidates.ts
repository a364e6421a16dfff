import { ApiError } from '../../../shared/contract/index.ts';
import { Annotation } from '../../../shared/domain/index.ts';
import type { GuidelineCandidate } from '../../../shared/export/derive.ts';
import type { CoreContext } from '../context.ts';
import { loadBundle } from '../bundles/queries.ts';
import { requireIdentity } from '../identity/identity.ts';

export interface CandidateRef {
  bundleId: string;
  annotationId: string;
  assumptionId: string;
}

export interface CandidateRow extends CandidateRef {
  taskId: string;
  category: string;
  categoryLabel: string;
  text: string;
  markedBy: string;
  markedAt: string;
}

/** The annotation a hit names, local or received (the assumption search shows both). */
function annotationBody(ctx: CoreContext, id: string): Annotation | null {
  const local = ctx.db.prepare('SELECT body FROM annotations WHERE id = ?').pluck().get(id) as string | undefined;
  const received = local ?? (ctx.db.prepare("SELECT body FROM received_records WHERE id = ? AND kind = 'annotation' AND body IS NOT NULL").pluck().get(id) as string | undefined);
  return received ? Annotation.parse(JSON.parse(received)) : null;
}

/**
 * Marks an assumption found in the assumption search as a guideline candidate. The text is
 * copied now: the candidate is what the marker read. Marking twice changes nothing.
 */
export function markCandidate(ctx: CoreContext, ref: CandidateRef): CandidateRow {
  const who = requireIdentity(ctx);
  loadBundle(ctx, ref.bundleId);
  const a = annotationBody(ctx, ref.annotationId);
  if (!a || a.bundleId !== ref.bundleId) throw new ApiError('not_found', `No annotation ${ref.annotationId} in bundle ${ref.bundleId}`);
  const x = a.content.assumptions.find((s) => s.id === ref.assumptionId);
  if (!x) throw new ApiError('not_found', `That annotation has no assumption "${ref.assumptionId}"`);
  ctx.db
    .prepare('INSERT OR IGNORE INTO guideline_candidates (bundle_id, annotation_id, assumption_id, task_id, category, text, marked_by, marked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(ref.bundleId, ref.annotationId, ref.assumptionId, a.taskId, x.category, x.text, who.displayName, ctx.now().toISOString());
  return listCandidates(ctx, ref.bundleId).find((c) => c.annotationId === ref.annotationId && c.assumptionId === ref.assumptionId)!;
}

export function unmarkCandidate(ctx: CoreContext, ref: CandidateRef): boolean {
  requireIdentity(ctx);
  return ctx.db.prepare('DELETE FROM guideline_candidates WHERE bundle_id = ? AND annotation_id = ? AND assumption_id = ?').run(ref.bundleId, ref.annotationId, ref.assumptionId).changes > 0;
}

/** A bundle's candidates, oldest mark first, with their category labels. */
export function listCandidates(ctx: CoreContext, bundleId: string): CandidateRow[] {
  const { taxonomy } = loadBundle(ctx, bundleId);
  const label = (id: string) => taxonomy.assumptionCategories.find((c) => c.id === id)?.label ?? id;
  const rows = ctx.db
    .prepare('SELECT bundle_id, annotation_id, assumption_id, task_id, category, text, marked_by, marked_at FROM guideline_candidates WHERE bundle_id = ? ORDER BY marked_at, annotation_id, assumption_id')
    .all(bundleId) as { bundle_id: string; annotation_id: string; assumption_id: string; task_id: string; category: string; text: string; marked_by: string; marked_at: string }[];
  return rows.map((r) => ({ bundleId: r.bundle_id, annotationId: r.annotation_id, assumptionId: r.assumption_id, taskId: r.task_id, category: r.category, categoryLabel: label(r.category), text: r.text, markedBy: r.marked_by, markedAt: r.marked_at }));
}

export function asGuidelineCandidates(rows: readonly CandidateRow[]): GuidelineCandidate[] {
  return rows.map((r) => ({ category: r.category, categoryLabel: r.categoryLabel, text: r.text, markedBy: r.markedBy, taskId: r.taskId }));
}
