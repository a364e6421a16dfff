import type { Database } from 'better-sqlite3';
import { Rubric, type Task } from '../../../shared/domain/index.ts';
import { disagreement } from '../../../shared/review/disagreement.ts';
import { isStale, latestAdjudication, openEscalations } from '../../../shared/review/decision.ts';
import { latestByAuthor, taskAdjudications, taskAnnotations } from '../work/records.ts';

/**
 * The review index: per task, how much its annotators disagree and what the queue filters on.
 * Refreshed in the transaction of every write that changes a task's work (submit, receive,
 * adjudicate), so the queue never parses bodies: its first page is one index range scan.
 */

interface Cached {
  rubrics: Map<string, Rubric | null>;
}

function rubricOf(db: Database, c: Cached, bundleId: string): Rubric | null {
  if (!c.rubrics.has(bundleId)) {
    const r = db.prepare("SELECT rubric FROM bundles WHERE id = ? AND state = 'ready'").get(bundleId) as { rubric: string } | undefined;
    c.rubrics.set(bundleId, r ? Rubric.parse(JSON.parse(r.rubric)) : null);
  }
  return c.rubrics.get(bundleId)!;
}

function statements(db: Database) {
  return {
    task: db.prepare('SELECT body, hash, position, kind FROM tasks WHERE bundle_id = ? AND task_id = ?'),
    upsert: db.prepare(
      `INSERT INTO review_index (bundle_id, task_id, position, kind, annotators, score, parts, unanimous, gold, escalations, open_escalations, adjudication, adjudication_id, updated_at)
       VALUES (@bundleId, @taskId, @position, @kind, @annotators, @score, @parts, @unanimous, @gold, @escalations, @open, @adjudication, @adjudicationId, @at)
       ON CONFLICT (bundle_id, task_id) DO UPDATE SET position = excluded.position, kind = excluded.kind, annotators = excluded.annotators, score = excluded.score,
         parts = excluded.parts, unanimous = excluded.unanimous, gold = excluded.gold, escalations = excluded.escalations, open_escalations = excluded.open_escalations,
         adjudication = excluded.adjudication, adjudication_id = excluded.adjudication_id, updated_at = excluded.updated_at`,
    ),
    drop: db.prepare('DELETE FROM review_index WHERE bundle_id = ? AND task_id = ?'),
    dropCriteria: db.prepare('DELETE FROM review_criteria WHERE bundle_id = ? AND task_id = ?'),
    addCriterion: db.prepare('INSERT INTO review_criteria (bundle_id, criterion_id, task_id, spread) VALUES (?, ?, ?, ?)'),
    dropAuthors: db.prepare('DELETE FROM review_authors WHERE bundle_id = ? AND task_id = ?'),
    addAuthor: db.prepare('INSERT OR IGNORE INTO review_authors (bundle_id, author_id, task_id) VALUES (?, ?, ?)'),
  };
}

const stmtCache = new WeakMap<Database, ReturnType<typeof statements>>();
const stmts = (db: Database) => {
  let s = stmtCache.get(db);
  if (!s) stmtCache.set(db, (s = statements(db)));
  return s;
};

/** Recomputes one task's row. Call inside the transaction that changed the task's work. */
export function refreshReviewTask(db: Database, bundleId: string, taskId: string, at: string, cache: Cached = { rubrics: new Map() }): void {
  const s = stmts(db);
  const row = s.task.get(bundleId, taskId) as { body: string; hash: string; position: number; kind: string } | undefined;
  const rubric = rubricOf(db, cache, bundleId);
  s.dropCriteria.run(bundleId, taskId);
  s.dropAuthors.run(bundleId, taskId);
  if (!row || !rubric) {
    // Work on a task this workstation has not installed: nothing to compare it against yet.
    s.drop.run(bundleId, taskId);
    return;
  }
  const task = JSON.parse(row.body) as Task;
  const all = taskAnnotations(db, bundleId, taskId);
  const latest = latestByAuthor(all).filter((a) => a.taskHash === row.hash);
  const decision = latestAdjudication(taskAdjudications(db, bundleId, taskId), row.hash);
  const d = disagreement(
    task,
    rubric,
    latest.map((a) => a.content.answer),
  );
  const esc = openEscalations(latest, decision);
  s.upsert.run({
    bundleId,
    taskId,
    position: row.position,
    kind: row.kind,
    annotators: latest.length,
    score: latest.length >= 2 ? d.score : 0,
    parts: JSON.stringify(d.parts),
    unanimous: d.unanimous ? 1 : 0,
    gold: task.gold !== undefined ? 1 : 0,
    escalations: esc.open + esc.resolved,
    open: esc.open,
    adjudication: decision === null ? 'none' : isStale(decision, latest) ? 'stale' : 'current',
    adjudicationId: decision?.id ?? null,
    at,
  });
  for (const [cid, spread] of Object.entries(d.criteria)) s.addCriterion.run(bundleId, cid, taskId, spread);
  for (const a of all) s.addAuthor.run(bundleId, a.annotatorId, taskId);
}

/** Rebuilds the index for every task with work (one bundle, or all). Returns the number of tasks. */
export function rebuildReviewIndex(db: Database, at: string, bundleId?: string): number {
  const tasks = db
    .prepare(
      `SELECT bundle_id, task_id FROM annotations WHERE status = 'submitted' AND (@b IS NULL OR bundle_id = @b)
       UNION SELECT bundle_id, task_id FROM received_records WHERE @b IS NULL OR bundle_id = @b
       UNION SELECT bundle_id, task_id FROM adjudications WHERE @b IS NULL OR bundle_id = @b`,
    )
    .all({ b: bundleId ?? null }) as { bundle_id: string; task_id: string }[];
  const cache: Cached = { rubrics: new Map() };
  db.transaction(() => {
    for (const t of tasks) refreshReviewTask(db, t.bundle_id, t.task_id, at, cache);
  })();
  return tasks.length;
}

/**
 * Fills the index once from the work already held (after migration 004, or when a workstation
 * becomes a reviewer's): only reviewers and admins read it, so an annotator's workstation never
 * pays for a rebuild at start. Afterwards every write keeps it current. Cheap when done: one
 * settings lookup.
 */
export function ensureReviewIndex(db: Database, at: string): number {
  if (db.prepare("SELECT 1 FROM settings WHERE key = 'review_index_built'").get()) return 0;
  const who = db.prepare('SELECT role FROM identity WHERE id = 1').get() as { role: string } | undefined;
  if (who?.role !== 'reviewer' && who?.role !== 'admin') return 0;
  const n = rebuildReviewIndex(db, at);
  db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('review_index_built', ?)").run(at);
  return n;
}
