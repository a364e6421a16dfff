import { ApiError, type BulkAcceptItem, type IdentityView } from '../../../shared/contract/index.ts';
import type { TaskKind } from '../../../shared/domain/index.ts';
import { disagreement } from '../../../shared/review/disagreement.ts';
import { openEscalations } from '../../../shared/review/decision.ts';
import type { CoreContext } from '../context.ts';
import { loadBundle } from '../bundles/queries.ts';
import { taskWork, type TaskWork } from '../work/units.ts';
import { writeAdjudication } from './adjudicate.ts';

/** Why a task cannot be accepted in bulk, or null when it can. */
function notUnanimous(ctx: CoreContext, w: TaskWork | null): string | null {
  if (!w) return 'not installed';
  if (w.latest.length < 2) return 'fewer than two annotators';
  if (w.decision && !w.stale) return 'already decided';
  if (openEscalations(w.latest, null).open > 0) return 'has an open escalation';
  const d = disagreement(w.task, loadBundle(ctx, w.bundle.id).rubric, w.latest.map((a) => a.content.answer));
  return d.unanimous ? null : 'the annotators no longer agree';
}

const CANDIDATES = `FROM review_index r JOIN tasks t ON t.bundle_id = r.bundle_id AND t.task_id = r.task_id
  WHERE r.bundle_id = @bundleId AND r.annotators >= 2 AND r.unanimous = 1 AND r.open_escalations = 0 AND r.adjudication IN ('none', 'stale')
    AND (@kind IS NULL OR r.kind = @kind)`;

/** What bulk accept would accept: unanimous tasks, no open escalation, not decided (or decided before new work). */
export function bulkAcceptPreview(ctx: CoreContext, q: { bundleId: string; kind?: TaskKind | undefined; offset: number; limit: number }): { items: BulkAcceptItem[]; total: number } {
  const params = { bundleId: q.bundleId, kind: q.kind ?? null, offset: q.offset, limit: q.limit };
  const total = (ctx.db.prepare(`SELECT COUNT(*) AS n ${CANDIDATES}`).get(params) as { n: number }).n;
  const rows = ctx.db.prepare(`SELECT r.task_id, t.title, r.kind, r.annotators, r.adjudication ${CANDIDATES} ORDER BY r.position LIMIT @limit OFFSET @offset`).all(params) as {
    task_id: string;
    title: string;
    kind: TaskKind;
    annotators: number;
    adjudication: 'none' | 'stale';
  }[];
  const items: BulkAcceptItem[] = [];
  for (const r of rows) {
    const w = taskWork(ctx.db, q.bundleId, r.task_id);
    const first = w?.latest[0];
    if (first) items.push({ taskId: r.task_id, taskTitle: r.title, kind: r.kind, annotators: r.annotators, answer: first.content.answer, adjudication: r.adjudication });
  }
  return { items, total };
}

/**
 * Accepts each task's unanimous answer as its decision, one transaction per task; each task is
 * checked again first (the preview may be old), and skipped with the reason if it no longer qualifies.
 */
export function bulkAccept(ctx: CoreContext, who: IdentityView, req: { bundleId: string; taskIds: readonly string[]; rationale: string }): { accepted: string[]; skipped: { taskId: string; reason: string }[] } {
  const accepted: string[] = [];
  const skipped: { taskId: string; reason: string }[] = [];
  for (const taskId of new Set(req.taskIds)) {
    const w = taskWork(ctx.db, req.bundleId, taskId);
    const why = notUnanimous(ctx, w);
    if (why || !w) {
      skipped.push({ taskId, reason: why ?? 'not installed' });
      continue;
    }
    const source = w.latest[0]!;
    try {
      writeAdjudication(ctx, who, w, { method: 'unanimous', source: source.id, answer: source.content.answer, rationale: req.rationale, resolvesEscalations: [] });
      accepted.push(taskId);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      skipped.push({ taskId, reason: e.message });
    }
  }
  return { accepted, skipped };
}
