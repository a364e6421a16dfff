import type { Database } from 'better-sqlite3';
import { BundleSettings, type Task } from '../../../shared/domain/index.ts';
import type { ExportUnit, UnitBundle } from '../../../shared/export/unit.ts';
import { isStale, latestAdjudication, openEscalations } from '../../../shared/review/decision.ts';
import { latestByAuthor, taskAdjudications, taskAnnotations, type WorkAdjudication, type WorkAnnotation } from './records.ts';
// Agreement on one task has one definition, shared with the server's units.
import { taskAgreement, toUnitAdjudication } from '../../../shared/export/assemble.ts';

export { taskAgreement };

/**
 * The one read model of all work, local and received: per task (and per task content, since a
 * bundle update may change a task under work already done), every annotator's submitted
 * revisions keyed by author, device, revision and bundle version, and the adjudications.
 * Exports, agreement and the reviewers' screens all read work through here.
 */

export interface WorkFilter {
  bundleId?: string | undefined;
  /** Only these tasks (of `bundleId`). */
  taskIds?: readonly string[] | undefined;
  /** Leave out tasks nobody has submitted work on (default true). */
  withWorkOnly?: boolean | undefined;
}

/** Everything known about one task: the content, all work on it, and the decisions. */
export interface TaskWork {
  bundle: UnitBundle;
  task: Task;
  taskHash: string;
  position: number;
  retired: boolean;
  /** Every submitted revision of every annotator, on any content of the task. */
  annotations: WorkAnnotation[];
  /** Each annotator's latest submitted revision on the current content. */
  latest: WorkAnnotation[];
  /** Every adjudication of the task, oldest revision first. */
  adjudications: WorkAdjudication[];
  /** The latest decision on the current content (stale or not). */
  decision: WorkAdjudication | null;
  stale: boolean;
}

interface TaskRow {
  bundle_id: string;
  task_id: string;
  body: string;
  hash: string;
  position: number;
  retired: number;
  bundle_version: number;
}

interface BundleRow {
  id: string;
  title: string;
  settings: string;
}

function unitBundle(b: BundleRow, version: number): UnitBundle {
  const settings = BundleSettings.parse(JSON.parse(b.settings));
  return {
    id: b.id,
    version,
    title: b.title,
    ...(settings.license ? { license: settings.license } : {}),
    ...(settings.currentModel ? { currentModel: settings.currentModel } : {}),
  };
}

function build(db: Database, row: TaskRow, bundle: BundleRow): TaskWork {
  const annotations = taskAnnotations(db, row.bundle_id, row.task_id);
  const adjudications = taskAdjudications(db, row.bundle_id, row.task_id);
  const latest = latestByAuthor(annotations).filter((a) => a.taskHash === row.hash);
  const decision = latestAdjudication(adjudications, row.hash);
  return {
    bundle: unitBundle(bundle, row.bundle_version),
    task: JSON.parse(row.body) as Task,
    taskHash: row.hash,
    position: row.position,
    retired: row.retired === 1,
    annotations,
    latest,
    adjudications,
    decision,
    stale: decision !== null && isStale(decision, latest),
  };
}

/** All work on one task, or null when the task is not installed. */
export function taskWork(db: Database, bundleId: string, taskId: string): TaskWork | null {
  const row = db.prepare('SELECT bundle_id, task_id, body, hash, position, retired, bundle_version FROM tasks WHERE bundle_id = ? AND task_id = ?').get(bundleId, taskId) as TaskRow | undefined;
  const bundle = db.prepare("SELECT id, title, settings FROM bundles WHERE id = ? AND state = 'ready'").get(bundleId) as BundleRow | undefined;
  return row && bundle ? build(db, row, bundle) : null;
}

/**
 * The export unit of a task's current content: every submitted revision made on it, the
 * adjudication in force (latest, and not stale), agreement, gold, escalation counts.
 */
export function toExportUnit(w: TaskWork): ExportUnit {
  const decision = w.decision && !w.stale ? w.decision : null;
  const esc = openEscalations(w.latest, decision);
  return {
    bundle: w.bundle,
    task: w.task,
    taskHash: w.taskHash,
    annotations: w.annotations.filter((a) => a.taskHash === w.taskHash).map(({ origin: _origin, ...a }) => a),
    adjudication: decision ? toUnitAdjudication(decision) : null,
    agreement: taskAgreement(w.task, w.latest),
    gold: w.task.gold !== undefined,
    escalations: esc,
  };
}

/**
 * Export units of earlier content: work made on a task's content before a bundle update changed
 * it, with that content (kept in task_revisions). Such work has no adjudication in force.
 */
function earlierUnits(db: Database, w: TaskWork, bundle: BundleRow): ExportUnit[] {
  const hashes = [...new Set(w.annotations.map((a) => a.taskHash))].filter((h) => h !== w.taskHash);
  const out: ExportUnit[] = [];
  for (const h of hashes) {
    const rev = db.prepare('SELECT body, bundle_version FROM task_revisions WHERE bundle_id = ? AND task_id = ? AND hash = ?').get(w.bundle.id, w.task.id, h) as
      | { body: string; bundle_version: number }
      | undefined;
    if (!rev) continue;
    const task = JSON.parse(rev.body) as Task;
    const annotations = w.annotations.filter((a) => a.taskHash === h);
    const latest = latestByAuthor(annotations);
    const adjudication = latestAdjudication(w.adjudications, h);
    const decision = adjudication && !isStale(adjudication, latest) ? adjudication : null;
    out.push({
      bundle: unitBundle(bundle, rev.bundle_version),
      task,
      taskHash: h,
      annotations: annotations.map(({ origin: _origin, ...a }) => a),
      adjudication: decision ? toUnitAdjudication(decision) : null,
      agreement: taskAgreement(task, latest),
      gold: task.gold !== undefined,
      escalations: openEscalations(latest, decision),
    });
  }
  return out;
}

/**
 * Streams one ExportUnit per (bundle, task, task content) with work, in bundle order; the
 * input of `exportDataset` (shared/node/export). Reads one task at a time, so memory stays flat.
 */
export function* iterateWorkUnits(db: Database, filter: WorkFilter = {}): Generator<ExportUnit> {
  const bundles = db.prepare("SELECT id, title, settings FROM bundles WHERE state = 'ready' AND (@b IS NULL OR id = @b) ORDER BY id").all({ b: filter.bundleId ?? null }) as BundleRow[];
  const withWork = filter.withWorkOnly ?? true;
  const only = filter.taskIds ? new Set(filter.taskIds) : null;
  for (const bundle of bundles) {
    // Task ids first (a covering index scan), then each task's rows: the cursor never stays
    // open across the per-task statements.
    const ids = db.prepare('SELECT task_id FROM tasks WHERE bundle_id = ? ORDER BY retired, position').pluck().all(bundle.id) as string[];
    const one = db.prepare('SELECT bundle_id, task_id, body, hash, position, retired, bundle_version FROM tasks WHERE bundle_id = ? AND task_id = ?');
    for (const id of ids) {
      if (only && !only.has(id)) continue;
      const row = one.get(bundle.id, id) as TaskRow;
      const w = build(db, row, bundle);
      if (withWork && w.annotations.length === 0 && w.adjudications.length === 0) continue;
      if (!withWork || w.annotations.some((a) => a.taskHash === w.taskHash) || w.adjudications.length > 0) yield toExportUnit(w);
      yield* earlierUnits(db, w, bundle);
    }
  }
}
