import { ApiError, type BundleDetail, type BundleSummary, type StatusCounts } from '../../../shared/contract/index.ts';
import { BundleSettings, Rubric, Taxonomy, Task, type TaskKind } from '../../../shared/domain/index.ts';
import type { CoreContext } from '../context.ts';

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

export function statusCounts(ctx: CoreContext, bundleId: string, annotatorId: string): StatusCounts {
  const total = (ctx.db.prepare('SELECT COUNT(*) AS n FROM tasks WHERE bundle_id = ? AND retired = 0').get(bundleId) as { n: number }).n;
  const rows = ctx.db
    .prepare(
      `SELECT s.status, COUNT(*) AS n FROM task_state s JOIN tasks t ON t.bundle_id = s.bundle_id AND t.task_id = s.task_id
       WHERE s.bundle_id = ? AND s.annotator_id = ? AND t.retired = 0 GROUP BY s.status`,
    )
    .all(bundleId, annotatorId) as { status: 'draft' | 'submitted'; n: number }[];
  const counts = { todo: 0, draft: 0, submitted: 0 };
  for (const r of rows) counts[r.status] = r.n;
  counts.todo = total - counts.draft - counts.submitted;
  return counts;
}

function summary(ctx: CoreContext, row: BundleRow, annotatorId: string | null): BundleSummary {
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
    counts: annotatorId ? statusCounts(ctx, row.id, annotatorId) : { todo: row.task_count, draft: 0, submitted: 0 },
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    importedAt: row.imported_at,
    signer: { keyId: row.signer_key_id, label: row.signer_label },
    sample: row.sample === 1,
  };
}

export function listBundles(ctx: CoreContext, annotatorId: string | null): BundleSummary[] {
  const rows = ctx.db.prepare("SELECT * FROM bundles WHERE state = 'ready' ORDER BY sample ASC, title COLLATE NOCASE").all() as BundleRow[];
  return rows.map((r) => summary(ctx, r, annotatorId));
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

export function bundleDetail(ctx: CoreContext, bundleId: string, annotatorId: string): BundleDetail {
  const b = loadBundle(ctx, bundleId);
  return {
    ...summary(ctx, b.row, annotatorId),
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
  // Tasks were validated on import; parsing again keeps a hand-edited database from reaching the UI.
  return { task: Task.parse(JSON.parse(row.body)), hash: row.hash, position: row.position, bundleVersion: row.bundle_version };
}
