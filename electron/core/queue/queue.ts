import type { QueueItem, QueueStatus, StatusCounts } from '../../../shared/contract/index.ts';
import type { TaskKind } from '../../../shared/domain/index.ts';
import type { CoreContext } from '../context.ts';
import { statusCounts } from '../bundles/queries.ts';
import { loadBundle } from '../bundles/queries.ts';

const STATUS_SQL: Record<QueueStatus, string> = {
  all: '1 = 1',
  todo: 's.status IS NULL',
  draft: "s.status = 'draft'",
  submitted: "s.status = 'submitted'",
  escalated: "s.status = 'escalated'",
};

interface Row {
  task_id: string;
  position: number;
  kind: TaskKind;
  title: string;
  status: 'draft' | 'submitted' | 'escalated' | null;
  revision: number | null;
  updated_at: string | null;
}

export interface QueuePage {
  items: QueueItem[];
  total: number;
  counts: StatusCounts;
}

export function listQueue(
  ctx: CoreContext,
  annotatorId: string,
  q: { bundleId: string; status: QueueStatus; kind?: TaskKind | undefined; offset: number; limit: number },
): QueuePage {
  loadBundle(ctx, q.bundleId); // not_found for an unknown bundle rather than an empty page
  const where = `t.bundle_id = @bundleId AND t.retired = 0 AND ${STATUS_SQL[q.status]}${q.kind ? ' AND t.kind = @kind' : ''}`;
  const from = `FROM tasks t LEFT JOIN task_state s ON s.bundle_id = t.bundle_id AND s.task_id = t.task_id AND s.annotator_id = @annotatorId`;
  const params = { bundleId: q.bundleId, annotatorId, kind: q.kind ?? null, limit: q.limit, offset: q.offset };
  const rows = ctx.db
    .prepare(`SELECT t.task_id, t.position, t.kind, t.title, s.status, s.revision, s.updated_at ${from} WHERE ${where} ORDER BY t.position LIMIT @limit OFFSET @offset`)
    .all(params) as Row[];
  const total = (ctx.db.prepare(`SELECT COUNT(*) AS n ${from} WHERE ${where}`).get(params) as { n: number }).n;
  return {
    items: rows.map((r) => ({
      taskId: r.task_id,
      position: r.position + 1,
      kind: r.kind,
      title: r.title,
      status: r.status ?? 'todo',
      revision: r.revision,
      updatedAt: r.updated_at,
    })),
    total,
    counts: statusCounts(ctx, q.bundleId, annotatorId),
  };
}

/**
 * The first task after (or before) `afterTaskId` in bundle order, wrapping round, whose status
 * matches. Without `afterTaskId`, the first (or last) such task.
 */
export function nextTask(
  ctx: CoreContext,
  annotatorId: string,
  bundleId: string,
  afterTaskId: string | undefined,
  status: QueueStatus,
  direction: 'forward' | 'backward' = 'forward',
): string | null {
  loadBundle(ctx, bundleId);
  const forward = direction === 'forward';
  const known = afterTaskId
    ? (ctx.db.prepare('SELECT position FROM tasks WHERE bundle_id = ? AND task_id = ?').get(bundleId, afterTaskId) as { position: number } | undefined)?.position
    : undefined;
  const from = known ?? (forward ? -1 : Number.MAX_SAFE_INTEGER);
  const sql = (cmp: string, order: string) => `SELECT t.task_id FROM tasks t LEFT JOIN task_state s
      ON s.bundle_id = t.bundle_id AND s.task_id = t.task_id AND s.annotator_id = @annotatorId
    WHERE t.bundle_id = @bundleId AND t.retired = 0 AND ${STATUS_SQL[status]} AND t.position ${cmp} @from
    ORDER BY t.position ${order} LIMIT 1`;
  const params = { bundleId, annotatorId, from };
  const [ahead, wrap] = forward ? [sql('>', 'ASC'), sql('<', 'ASC')] : [sql('<', 'DESC'), sql('>', 'DESC')];
  const found = (ctx.db.prepare(ahead).get(params) ?? ctx.db.prepare(wrap).get(params)) as { task_id: string } | undefined;
  return found?.task_id ?? null;
}
