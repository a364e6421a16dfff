import type { IdentityView, QueueItem, QueueStatus, StatusCounts } from '../../../shared/contract/index.ts';
import { annotatorKey, type TaskKind } from '../../../shared/domain/index.ts';
import type { CoreContext } from '../context.ts';
import { loadBundle, statusCounts, type LoadedBundle } from '../bundles/queries.ts';

/**
 * Whose queue: the annotator's own task states, and — when the bundle's assignment names its
 * annotators — only the tasks assigned to this annotator's name (see shared/domain/assignment.ts).
 */
export interface QueueScope {
  annotatorId: string;
  /** annotatorKey() of the display name, or null when the bundle does not name its annotators. */
  assignee: string | null;
}

export function queueScope(bundle: LoadedBundle, who: Pick<IdentityView, 'userId' | 'displayName'>): QueueScope {
  const named = bundle.settings.assignment?.annotators;
  return { annotatorId: who.userId, assignee: named && named.length > 0 ? annotatorKey(who.displayName) : null };
}

const STATUS_SQL: Record<QueueStatus, string> = {
  all: '1 = 1',
  todo: 's.status IS NULL',
  draft: "s.status = 'draft'",
  submitted: "s.status = 'submitted'",
  escalated: "s.status = 'escalated'",
};

/**
 * FROM clause and ordering for a scope. With assignment the walk starts from the annotator's
 * own index (task_assignees, ordered by position), so a page never scans other people's tasks.
 */
function source(scope: QueueScope): { from: string; where: string; position: string } {
  const state = `LEFT JOIN task_state s ON s.bundle_id = t.bundle_id AND s.task_id = t.task_id AND s.annotator_id = @annotatorId`;
  if (scope.assignee === null) return { from: `FROM tasks t ${state}`, where: 't.bundle_id = @bundleId AND t.retired = 0', position: 't.position' };
  return {
    from: `FROM task_assignees a JOIN tasks t ON t.bundle_id = a.bundle_id AND t.task_id = a.task_id ${state}`,
    where: 'a.bundle_id = @bundleId AND a.annotator = @assignee AND t.retired = 0',
    position: 'a.position',
  };
}

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
  who: Pick<IdentityView, 'userId' | 'displayName'>,
  q: { bundleId: string; status: QueueStatus; kind?: TaskKind | undefined; offset: number; limit: number },
): QueuePage {
  const scope = queueScope(loadBundle(ctx, q.bundleId), who); // not_found for an unknown bundle rather than an empty page
  const src = source(scope);
  const where = `${src.where} AND ${STATUS_SQL[q.status]}${q.kind ? ' AND t.kind = @kind' : ''}`;
  const params = { bundleId: q.bundleId, annotatorId: scope.annotatorId, assignee: scope.assignee, kind: q.kind ?? null, limit: q.limit, offset: q.offset };
  // Unfiltered pages are cut from the covering index first and joined to the annotator's states
  // after, so skipping to offset 90,000 does not probe task_state 90,000 times.
  // Draft and submitted pages start from the annotator's own (few) task states, never a scan of
  // the whole bundle; CROSS JOIN keeps SQLite from reordering that.
  const counts = statusCounts(ctx, q.bundleId, scope.annotatorId, scope.assignee);
  // Before any work is saved, "todo" is every task: take the fast unfiltered path.
  const everyTask = q.status === 'all' || (q.status === 'todo' && Object.entries(counts).every(([status, n]) => status === 'todo' || n === 0));
  const sql =
    everyTask && !q.kind && scope.assignee === null
      ? `SELECT t.task_id, t.position, t.kind, t.title, s.status, s.revision, s.updated_at
         FROM (SELECT bundle_id, task_id, position, kind, title FROM tasks WHERE bundle_id = @bundleId AND retired = 0 ORDER BY position LIMIT @limit OFFSET @offset) t
         LEFT JOIN task_state s ON s.bundle_id = t.bundle_id AND s.task_id = t.task_id AND s.annotator_id = @annotatorId ORDER BY t.position`
      : (q.status === 'draft' || q.status === 'submitted') && scope.assignee === null
        ? `SELECT t.task_id, t.position, t.kind, t.title, s.status, s.revision, s.updated_at
           FROM task_state s CROSS JOIN tasks t ON t.bundle_id = s.bundle_id AND t.task_id = s.task_id
           WHERE s.bundle_id = @bundleId AND s.annotator_id = @annotatorId AND ${STATUS_SQL[q.status]} AND t.retired = 0${q.kind ? ' AND t.kind = @kind' : ''}
           ORDER BY t.position LIMIT @limit OFFSET @offset`
        : `SELECT t.task_id, t.position, t.kind, t.title, s.status, s.revision, s.updated_at ${src.from} WHERE ${where} ORDER BY ${src.position} LIMIT @limit OFFSET @offset`;
  const rows = ctx.db.prepare(sql).all(params) as Row[];
  // The status counts already hold the total for an unfiltered kind; count only when filtering by kind.
  const total = q.kind
    ? (ctx.db.prepare(`SELECT COUNT(*) AS n ${src.from} WHERE ${where}`).get(params) as { n: number }).n
    : q.status === 'all'
      ? counts.todo + counts.draft + counts.submitted + counts.escalated
      : counts[q.status];
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
    counts,
  };
}

/**
 * The first task after (or before) `afterTaskId` in bundle order, wrapping round, whose status
 * matches, within the annotator's scope. Without `afterTaskId`, the first (or last) such task.
 */
export function nextTask(
  ctx: CoreContext,
  who: Pick<IdentityView, 'userId' | 'displayName'>,
  bundleId: string,
  afterTaskId: string | undefined,
  status: QueueStatus,
  direction: 'forward' | 'backward' = 'forward',
): string | null {
  const scope = queueScope(loadBundle(ctx, bundleId), who);
  const forward = direction === 'forward';
  const known = afterTaskId
    ? (ctx.db.prepare('SELECT position FROM tasks WHERE bundle_id = ? AND task_id = ?').get(bundleId, afterTaskId) as { position: number } | undefined)?.position
    : undefined;
  const from = known ?? (forward ? -1 : Number.MAX_SAFE_INTEGER);
  const src = source(scope);
  const sql = (cmp: string, order: string) =>
    `SELECT t.task_id ${src.from} WHERE ${src.where} AND ${STATUS_SQL[status]} AND ${src.position} ${cmp} @from ORDER BY ${src.position} ${order} LIMIT 1`;
  const params = { bundleId, annotatorId: scope.annotatorId, assignee: scope.assignee, from };
  const [ahead, wrap] = forward ? [sql('>', 'ASC'), sql('<', 'ASC')] : [sql('<', 'DESC'), sql('>', 'DESC')];
  const found = (ctx.db.prepare(ahead).get(params) ?? ctx.db.prepare(wrap).get(params)) as { task_id: string } | undefined;
  return found?.task_id ?? null;
}
