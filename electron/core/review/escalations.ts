import type { EscalationItem } from '../../../shared/contract/index.ts';
import { Taxonomy, type Annotation, type Severity } from '../../../shared/domain/index.ts';
import { escalatedWithoutAnswer } from '../../../shared/rules/index.ts';
import { latestAdjudication } from '../../../shared/review/decision.ts';
import type { CoreContext } from '../context.ts';
import { latestByAuthor, taskAdjudications, taskAnnotations } from '../work/records.ts';

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * Every open escalation on the latest submitted revision of every task and annotator this store
 * holds, local or received, most severe first, then oldest first (the longest-waiting
 * high-severity case on top). An escalation the adjudication in force resolved has left the queue.
 */
export function listEscalations(ctx: CoreContext, q: { bundleId?: string | undefined; minSeverity?: Severity | undefined }): EscalationItem[] {
  // Candidate tasks: local escalated work (task_state) and received work carrying escalations.
  const tasks = ctx.db
    .prepare(
      `SELECT s.bundle_id, s.task_id FROM task_state s WHERE s.status = 'escalated' AND (@bundleId IS NULL OR s.bundle_id = @bundleId)
       UNION
       SELECT rr.bundle_id, rr.task_id FROM received_records rr
       WHERE rr.kind = 'annotation' AND rr.issues IS NULL AND json_array_length(rr.body, '$.content.escalations') > 0 AND (@bundleId IS NULL OR rr.bundle_id = @bundleId)`,
    )
    .all({ bundleId: q.bundleId ?? null }) as { bundle_id: string; task_id: string }[];
  const info = ctx.db.prepare("SELECT t.title, t.hash, b.taxonomy FROM tasks t JOIN bundles b ON b.id = t.bundle_id AND b.state = 'ready' WHERE t.bundle_id = ? AND t.task_id = ?");
  const taxonomies = new Map<string, Taxonomy>();
  const items: EscalationItem[] = [];
  for (const t of tasks) {
    const row = info.get(t.bundle_id, t.task_id) as { title: string; hash: string; taxonomy: string } | undefined;
    if (!row) continue;
    let tax = taxonomies.get(t.bundle_id);
    if (!tax) taxonomies.set(t.bundle_id, (tax = Taxonomy.parse(JSON.parse(row.taxonomy))));
    const decision = latestAdjudication(taskAdjudications(ctx.db, t.bundle_id, t.task_id), row.hash);
    const resolved = new Set((decision?.resolvesEscalations ?? []).map((r) => `${r.annotationId}\u0000${r.escalationId}`));
    for (const a of latestByAuthor(taskAnnotations(ctx.db, t.bundle_id, t.task_id))) {
      for (const e of a.content.escalations) {
        if (resolved.has(`${a.id}\u0000${e.id}`)) continue;
        if (q.minSeverity && RANK[e.severity] < RANK[q.minSeverity]) continue;
        items.push(item(a, e, row.title, tax));
      }
    }
  }
  return items.sort((x, y) => RANK[y.severity] - RANK[x.severity] || (x.submittedAt ?? '').localeCompare(y.submittedAt ?? '') || x.annotationId.localeCompare(y.annotationId));
}

function item(a: Annotation, e: Annotation['content']['escalations'][number], title: string, tax: Taxonomy): EscalationItem {
  return {
    bundleId: a.bundleId,
    taskId: a.taskId,
    taskTitle: title,
    kind: a.content.answer.kind,
    annotationId: a.id,
    revision: a.revision,
    annotatorName: a.annotatorName,
    escalationId: e.id,
    reason: e.reason,
    reasonLabel: tax.escalationReasons.find((r) => r.id === e.reason)?.label ?? e.reason,
    severity: e.severity,
    note: e.note,
    scope: e.scope,
    answered: !escalatedWithoutAnswer(a.content),
    submittedAt: a.submittedAt,
  };
}
