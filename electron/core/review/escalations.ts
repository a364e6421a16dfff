import type { EscalationItem } from '../../../shared/contract/index.ts';
import { Annotation, Taxonomy, type Severity } from '../../../shared/domain/index.ts';
import type { CoreContext } from '../context.ts';

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** Whether an escalated annotation still carries a usable answer or was escalated instead of answered. */
function answered(a: Annotation): boolean {
  const ans = a.content.answer;
  if (ans.kind === 'compare') return ans.preference !== null && ans.preference.choice !== 'cannot_judge';
  if (ans.kind === 'exemplar') return ans.corrected.trim() !== '';
  return ans.outcome !== null;
}

/**
 * Every escalation on the latest submitted revision of every task and annotator in this store,
 * most severe first, then oldest first (the longest-waiting high-severity case on top).
 */
export function listEscalations(ctx: CoreContext, q: { bundleId?: string | undefined; minSeverity?: Severity | undefined }): EscalationItem[] {
  const rows = ctx.db
    .prepare(
      `SELECT a.body, t.title, b.taxonomy FROM task_state s
       JOIN annotations a ON a.bundle_id = s.bundle_id AND a.task_id = s.task_id AND a.annotator_id = s.annotator_id AND a.revision = s.revision
       JOIN tasks t ON t.bundle_id = s.bundle_id AND t.task_id = s.task_id
       JOIN bundles b ON b.id = s.bundle_id
       WHERE s.status = 'escalated' AND (@bundleId IS NULL OR s.bundle_id = @bundleId)`,
    )
    .all({ bundleId: q.bundleId ?? null }) as { body: string; title: string; taxonomy: string }[];
  const taxonomies = new Map<string, Taxonomy>();
  const items: EscalationItem[] = [];
  for (const row of rows) {
    const a = Annotation.parse(JSON.parse(row.body));
    let tax = taxonomies.get(a.bundleId);
    if (!tax) taxonomies.set(a.bundleId, (tax = Taxonomy.parse(JSON.parse(row.taxonomy))));
    for (const e of a.content.escalations) {
      if (q.minSeverity && RANK[e.severity] < RANK[q.minSeverity]) continue;
      items.push({
        bundleId: a.bundleId,
        taskId: a.taskId,
        taskTitle: row.title,
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
        answered: answered(a),
        submittedAt: a.submittedAt,
      });
    }
  }
  return items.sort((x, y) => RANK[y.severity] - RANK[x.severity] || (x.submittedAt ?? '').localeCompare(y.submittedAt ?? ''));
}
