import type { ReviewFlaggedItem } from '../../../shared/contract/index.ts';
import type { TaskKind } from '../../../shared/domain/index.ts';
import type { CoreContext } from '../context.ts';

interface Row {
  bundle_id: string;
  bundle_title: string;
  task_id: string;
  task_title: string;
  kind: TaskKind;
  retired: number;
  annotator_id: string;
  annotator_name: string | null;
  from_version: number;
  to_version: number;
  flagged_at: string;
}

/**
 * Open flags (annotation_reviews, written by the import of a version that changed a task's
 * content, or on receiving work made against older content) across every installed bundle and
 * every annotator whose work this store holds, local or received. Several updates in
 * a row leave one flag each; they are shown as one item spanning the versions, since one second
 * look settles them all (submitting resolves every open flag of that task and annotator).
 */
export function listFlaggedForReview(ctx: CoreContext, req: { bundleId?: string | undefined; offset: number; limit: number }): { items: ReviewFlaggedItem[]; total: number } {
  const where = `r.resolved_at IS NULL AND b.state = 'ready'${req.bundleId !== undefined ? ' AND r.bundle_id = @bundleId' : ''}`;
  const from = `FROM annotation_reviews r JOIN bundles b ON b.id = r.bundle_id JOIN tasks t ON t.bundle_id = r.bundle_id AND t.task_id = r.task_id WHERE ${where}`;
  const params = { bundleId: req.bundleId ?? null, offset: req.offset, limit: req.limit };
  const total = (ctx.db.prepare(`SELECT COUNT(*) AS n FROM (SELECT 1 ${from} GROUP BY r.bundle_id, r.task_id, r.annotator_id)`).get(params) as { n: number }).n;
  const rows = ctx.db
    .prepare(
      `SELECT r.bundle_id, b.title AS bundle_title, r.task_id, t.title AS task_title, t.kind, t.retired, r.annotator_id,
         MIN(r.from_version) AS from_version, MAX(r.to_version) AS to_version, MAX(r.flagged_at) AS flagged_at,
         COALESCE(
           (SELECT json_extract(a.body, '$.annotatorName') FROM annotations a
            WHERE a.bundle_id = r.bundle_id AND a.task_id = r.task_id AND a.annotator_id = r.annotator_id ORDER BY a.revision DESC LIMIT 1),
           -- Work received from another device has no local annotation row; its record names the
           -- author. Latest by bundle version, then by that device's chain (clocks never decide).
           (SELECT rr.author_name FROM received_records rr
            WHERE rr.bundle_id = r.bundle_id AND rr.task_id = r.task_id AND rr.author_id = r.annotator_id
            ORDER BY rr.bundle_version DESC, rr.seq DESC, rr.position DESC LIMIT 1)) AS annotator_name
       ${from}
       GROUP BY r.bundle_id, r.task_id, r.annotator_id
       ORDER BY MAX(r.flagged_at) DESC, b.title, r.bundle_id, t.position, r.annotator_id
       LIMIT @limit OFFSET @offset`,
    )
    .all(params) as Row[];
  return {
    total,
    items: rows.map((r) => ({
      bundleId: r.bundle_id,
      bundleTitle: r.bundle_title,
      taskId: r.task_id,
      taskTitle: r.task_title,
      kind: r.kind,
      annotatorId: r.annotator_id,
      annotatorName: r.annotator_name ?? r.annotator_id,
      fromVersion: r.from_version,
      toVersion: r.to_version,
      flaggedAt: r.flagged_at,
      retired: r.retired === 1,
    })),
  };
}
