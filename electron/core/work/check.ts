import type { Database } from 'better-sqlite3';
import type { Issue } from '../../../shared/contract/index.ts';
import { BundleSettings, Rubric, Task, Taxonomy, type BatchRecord } from '../../../shared/domain/index.ts';
import { adjudicationIssues, submissionIssues } from '../../../shared/rules/index.ts';

/** The task content a record was made on: the installed content, or an earlier revision kept for it. */
function taskAt(db: Database, bundleId: string, taskId: string, hash: string): Task | null {
  const cur = db.prepare('SELECT body FROM tasks WHERE bundle_id = ? AND task_id = ? AND hash = ?').get(bundleId, taskId, hash) as { body: string } | undefined;
  const old = cur ?? (db.prepare('SELECT body FROM task_revisions WHERE bundle_id = ? AND task_id = ? AND hash = ?').get(bundleId, taskId, hash) as { body: string } | undefined);
  return old ? Task.parse(JSON.parse(old.body)) : null;
}

/**
 * The submission rules, applied to a record received in another device's signed batch: the
 * same rules the author's core applied (shared/rules), so a modified client's work that the UI
 * would never have let through is not reviewed or exported. Work on a bundle or content this
 * workstation does not hold cannot be checked here and passes (it is checked where it is used).
 */
export function receivedRecordIssues(db: Database, r: BatchRecord): Issue[] {
  const b = db.prepare("SELECT settings, rubric, taxonomy FROM bundles WHERE id = ? AND state = 'ready'").get(r.record.bundleId) as
    | { settings: string; rubric: string; taxonomy: string }
    | undefined;
  if (!b) return [];
  const task = taskAt(db, r.record.bundleId, r.record.taskId, r.record.taskHash);
  if (!task) return [];
  const rules = { task, rubric: Rubric.parse(JSON.parse(b.rubric)), taxonomy: Taxonomy.parse(JSON.parse(b.taxonomy)), settings: BundleSettings.parse(JSON.parse(b.settings)) };
  const issues = r.type === 'annotation' ? submissionIssues({ ...rules, content: r.record.content, displayOrder: r.record.displayOrder }) : adjudicationIssues({ ...rules, answer: r.record.answer });
  return issues.map(({ path, message }) => ({ path, message }));
}
