import { ApiError, type BundleDetail, type BundleSummary, type StatusCounts } from '../../../shared/contract/index.ts';
import { annotatorKey, BundleSettings, Rubric, Taxonomy, Task, type TaskKind } from '../../../shared/domain/index.ts';
import type { CoreContext } from '../context.ts';
import { verifyTaskBody } from './task-integrity.ts';

interface BundleRow {
  id: string;
  version: number;
  title: string;
  description: string | null;
  settings: string;
  guidelines: string;
  rubric: string;
  taxonomy: string;
  signer_key_id: string;
  signer_label: string;
  sample: number;
  task_count: number;
  created_at: string;
  expires_at: string;
  imported_at: string;
}

/** Counts of an annotator's tasks by status; with `assignee`, only the tasks assigned to that name. */
export function statusCounts(ctx: CoreContext, bundleId: string, annotatorId: string, assignee: string | null = null): StatusCounts {
  const assigned = assignee === null ? '' : ' AND EXISTS (SELECT 1 FROM task_assignees a WHERE a.bundle_id = t.bundle_id AND a.annotator = @assignee AND a.position = t.position)';
  const total =
    assignee === null
      ? // The current version's tasks are exactly the unretired ones, and the manifest counted them:
        // reading that count saves scanning 100k index entries on every queue page.
        ((ctx.db.prepare('SELECT task_count AS n FROM bundles WHERE id = ?').get(bundleId) as { n: number } | undefined)?.n ?? 0)
      : (ctx.db.prepare('SELECT COUNT(*) AS n FROM task_assignees a JOIN tasks t ON t.bundle_id = a.bundle_id AND t.task_id = a.task_id WHERE a.bundle_id = ? AND a.annotator = ? AND t.retired = 0').get(bundleId, assignee) as { n: number }).n;
  const rows = ctx.db
    .prepare(
      `SELECT s.status, COUNT(*) AS n FROM task_state s JOIN tasks t ON t.bundle_id = s.bundle_id AND t.task_id = s.task_id
       WHERE s.bundle_id = @bundleId AND s.annotator_id = @annotatorId AND t.retired = 0${assigned} GROUP BY s.status`,
    )
    .all({ bundleId, annotatorId, assignee }) as { status: 'draft' | 'submitted' | 'escalated'; n: number }[];
  const counts = { todo: 0, draft: 0, submitted: 0, escalated: 0 };
  for (const r of rows) counts[r.status] = r.n;
  counts.todo = total - counts.draft - counts.submitted - counts.escalated;
  return counts;
}

/** Escalations on the latest submitted revision of each task and annotator. */
function escalationCounts(ctx: CoreContext, bundleId: string): { total: number; highSeverity: number } {
  const r = ctx.db
    .prepare(
      `SELECT COUNT(*) AS total, COALESCE(SUM(e.value ->> '$.severity' IN ('high', 'critical')), 0) AS high
       FROM task_state s
       JOIN annotations a ON a.bundle_id = s.bundle_id AND a.task_id = s.task_id AND a.annotator_id = s.annotator_id AND a.revision = s.revision
       JOIN json_each(a.body, '$.content.escalations') e
       WHERE s.bundle_id = ? AND s.status = 'escalated'`,
    )
    .get(bundleId) as { total: number; high: number };
  return { total: r.total, highSeverity: r.high };
}

/** Who is looking: progress counts are theirs, and cover only their tasks when the bundle assigns by name. */
export type Viewer = { userId: string; displayName: string } | null;

function viewerCounts(ctx: CoreContext, row: BundleRow, who: Viewer): StatusCounts {
  if (!who) return { todo: row.task_count, draft: 0, submitted: 0, escalated: 0 };
  const named = BundleSettings.parse(JSON.parse(row.settings)).assignment?.annotators;
  return statusCounts(ctx, row.id, who.userId, named && named.length > 0 ? annotatorKey(who.displayName) : null);
}

function summary(ctx: CoreContext, row: BundleRow, who: Viewer): BundleSummary {
  const kinds = Object.fromEntries(
    (ctx.db.prepare('SELECT kind, COUNT(*) AS n FROM tasks WHERE bundle_id = ? AND retired = 0 GROUP BY kind').all(row.id) as { kind: TaskKind; n: number }[]).map(
      (r) => [r.kind, r.n],
    ),
  ) as Record<TaskKind, number>;
  return {
    id: row.id,
    version: row.version,
    title: row.title,
    description: row.description,
    taskCount: row.task_count,
    kinds: { compare: kinds.compare ?? 0, exemplar: kinds.exemplar ?? 0, trajectory: kinds.trajectory ?? 0 },
    counts: viewerCounts(ctx, row, who),
    escalations: escalationCounts(ctx, row.id),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    importedAt: row.imported_at,
    signer: { keyId: row.signer_key_id, label: row.signer_label },
    sample: row.sample === 1,
  };
}

export function listBundles(ctx: CoreContext, who: Viewer): BundleSummary[] {
  const rows = ctx.db.prepare("SELECT * FROM bundles WHERE state = 'ready' ORDER BY sample ASC, title COLLATE NOCASE").all() as BundleRow[];
  return rows.map((r) => summary(ctx, r, who));
}

export interface LoadedBundle {
  row: BundleRow;
  settings: BundleSettings;
  rubric: Rubric;
  taxonomy: Taxonomy;
}

export function loadBundle(ctx: CoreContext, bundleId: string): LoadedBundle {
  const row = ctx.db.prepare("SELECT * FROM bundles WHERE id = ? AND state = 'ready'").get(bundleId) as BundleRow | undefined;
  if (!row) throw new ApiError('not_found', `No bundle "${bundleId}" is installed`);
  return {
    row,
    settings: BundleSettings.parse(JSON.parse(row.settings)),
    rubric: Rubric.parse(JSON.parse(row.rubric)),
    taxonomy: Taxonomy.parse(JSON.parse(row.taxonomy)),
  };
}

export function bundleDetail(ctx: CoreContext, bundleId: string, who: Viewer): BundleDetail {
  const b = loadBundle(ctx, bundleId);
  return {
    ...summary(ctx, b.row, who),
    guidelines: b.row.guidelines,
    rubric: b.rubric,
    taxonomy: b.taxonomy,
    showModelNames: b.settings.showModelNames,
    rationale: b.settings.rationale,
    allowEscalationWithoutAnswer: b.settings.escalation.allowWithoutAnswer,
  };
}

export interface LoadedTask {
  task: Task;
  hash: string;
  position: number;
  bundleVersion: number;
}

export function loadTask(ctx: CoreContext, bundleId: string, taskId: string): LoadedTask {
  const row = ctx.db.prepare('SELECT body, hash, position, bundle_version FROM tasks WHERE bundle_id = ? AND task_id = ?').get(bundleId, taskId) as
    | { body: string; hash: string; position: number; bundle_version: number }
    | undefined;
  if (!row) throw new ApiError('not_found', `No task "${taskId}" in bundle "${bundleId}"`);
  verifyTaskBody(ctx.dataDir, bundleId, taskId, row.body, row.hash);
  // Tasks were validated on import; parsing again keeps a hand-edited database from reaching the UI.
  return { task: Task.parse(JSON.parse(row.body)), hash: row.hash, position: row.position, bundleVersion: row.bundle_version };
}
