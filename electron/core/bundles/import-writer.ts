import { rebuildReviewIndex, refreshReviewTask } from '../review/review-index.ts';
import { hash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { annotatorKey } from '../../../shared/domain/index.ts';
import type { BatchMessage, HeaderMessage } from './import-protocol.ts';

export interface Installed {
  version: number;
  manifest_sha256: string;
}

export interface VersionChanges {
  added: number;
  changed: number;
  removed: number;
  /** Annotator × task pairs whose work now needs a second look. */
  flagged: number;
}

/**
 * Writes one import in short transactions, so other core calls run between batches, while
 * nothing becomes visible until `commit`. Each step is one synchronous transaction; the caller
 * runs each inside the core's call queue.
 */
export interface ImportWriter {
  begin(): void;
  insert(batch: BatchMessage, bodies: Buffer): void;
  commit(importedAt: string): VersionChanges;
  discard(): void;
}

interface Common {
  db: Database;
  header: HeaderMessage;
  sample: boolean;
}

const BUNDLE_COLUMNS = `id, version, title, description, settings, guidelines, rubric, taxonomy, manifest, manifest_sha256,
  signer_key_id, signer_label, sample, task_count, created_at, expires_at, imported_at, state`;

function bundleRow(c: Common, importedAt: string, state: 'ready' | 'staging') {
  const { header: h } = c;
  return {
    id: h.manifest.bundleId,
    version: h.manifest.version,
    title: h.manifest.title,
    description: h.settings.description ?? null,
    settings: JSON.stringify(h.settings),
    guidelines: h.guidelines,
    rubric: JSON.stringify(h.rubric),
    taxonomy: JSON.stringify(h.taxonomy),
    manifest: JSON.stringify(h.manifest),
    manifest_sha256: h.manifestSha256,
    signer_key_id: h.signerKeyId,
    signer_label: h.signerLabel,
    sample: c.sample ? 1 : 0,
    task_count: h.manifest.taskCount,
    created_at: h.manifest.createdAt,
    expires_at: h.manifest.expiresAt,
    imported_at: importedAt,
    state,
  };
}

/**
 * Runs one staging transaction without waiting for fsync. Staged rows are invisible and a
 * crash discards them anyway, so only the final commit (synchronous=FULL, which also syncs
 * every earlier WAL frame) needs to be durable. WAL stays consistent under NORMAL.
 */
export function stagingTransaction(db: Database, fn: () => void): void {
  db.pragma('synchronous = NORMAL');
  try {
    db.transaction(fn).immediate();
  } finally {
    db.pragma('synchronous = FULL');
  }
}

/**
 * Inserts every row of a batch with one prepared statement; bodies are bound as bytes and
 * stored as text (no re-encoding). Each row's content hash (SHA-256 of its line, which tells
 * a changed task across versions) is taken here, from the exact bytes stored: this thread
 * waits on the reader more than the reader waits on it, so the work is cheaper here.
 */
function insertBatch(stmt: Statement, batch: BatchMessage, bodies: Buffer, key: string | number): void {
  let start = 0;
  for (let i = 0; i < batch.ids.length; i++) {
    const end = batch.ends[i]!;
    const id = batch.ids[i]!;
    const kind = batch.kinds[i]!;
    const body = bodies.subarray(start, end);
    stmt.run(key, id, batch.first + i, kind, batch.titles[i] ?? `${kind} ${id}`, body, hash('sha256', body, 'hex'));
    start = end;
  }
}

function recordVersion(c: Common, importedAt: string, changes: VersionChanges): void {
  const m = c.header.manifest;
  c.db
    .prepare(
      `INSERT INTO bundle_versions (bundle_id, version, manifest_sha256, signer_key_id, signer_label, task_count, added, changed, removed, flagged, created_at, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(m.bundleId, m.version, c.header.manifestSha256, c.header.signerKeyId, c.header.signerLabel, m.taskCount, changes.added, changes.changed, changes.removed, changes.flagged, m.createdAt, importedAt);
}

/**
 * A bundle this workstation has never had: tasks go straight into `tasks` under a bundle row
 * in state 'staging', so the commit is a one-row update however large the bundle is.
 */
export function freshWriter(c: Common): ImportWriter {
  const id = c.header.manifest.bundleId;
  let stmt: Statement | null = null;
  return {
    begin: () => {
      c.db.prepare(`INSERT INTO bundles (${BUNDLE_COLUMNS}) VALUES (${BUNDLE_COLUMNS.split(',').map((k) => `@${k.trim()}`).join(', ')})`).run(bundleRow(c, '', 'staging'));
    },
    insert: (batch, bodies) => {
      stmt ??= c.db.prepare(
        `INSERT INTO tasks (bundle_id, task_id, position, kind, title, body, hash, bundle_version, retired)
         VALUES (?, ?, ?, ?, ?, CAST(? AS TEXT), ?, ${c.header.manifest.version}, 0)`,
      );
      stagingTransaction(c.db, () => insertBatch(stmt!, batch, bodies, id));
    },
    commit: (importedAt) => {
      const changes = { added: c.header.manifest.taskCount, changed: 0, removed: 0, flagged: 0 };
      c.db.transaction(() => {
        c.db.prepare(`UPDATE bundles SET state = 'ready', imported_at = ? WHERE id = ? AND state = 'staging'`).run(importedAt, id);
        // Work received before its bundle was installed joins the review index now.
        rebuildReviewIndex(c.db, importedAt, id);
        assignTasks(c.db, c.header);
        recordVersion(c, importedAt, changes);
      }).immediate();
      return changes;
    },
    discard: () => discardStaged(c.db, id),
  };
}

/** Removes a staged first import: its tasks, then its invisible bundle row. */
export function discardStaged(db: Database, bundleId: string): void {
  db.transaction(() => {
    db.prepare(`DELETE FROM task_assignees WHERE bundle_id = ? AND EXISTS (SELECT 1 FROM bundles WHERE id = ? AND state = 'staging')`).run(bundleId, bundleId);
    db.prepare(`DELETE FROM tasks WHERE bundle_id = ? AND EXISTS (SELECT 1 FROM bundles WHERE id = ? AND state = 'staging')`).run(bundleId, bundleId);
    db.prepare(`DELETE FROM bundles WHERE id = ? AND state = 'staging'`).run(bundleId);
  }).immediate();
}

/**
 * A new version of an installed bundle: staged in import_staging, then merged in one
 * transaction. Tasks keep their identity (bundle, task id), so annotations stay attached;
 * worked-on tasks whose content changed keep their old content in task_revisions and their
 * annotations are flagged for review; tasks the new version dropped are retired if anyone
 * worked on them and deleted otherwise. "Anyone" includes other annotators' work received
 * through sync (received_records), which a reviewer's workstation holds without local rows.
 */
export function updateWriter(c: Common, importId: string, installed: Installed): ImportWriter {
  const m = c.header.manifest;
  let stmt: Statement | null = null;
  return {
    begin: () => undefined,
    insert: (batch, bodies) => {
      stmt ??= c.db.prepare(
        `INSERT INTO import_staging (import_id, task_id, position, kind, title, body, hash) VALUES (?, ?, ?, ?, ?, CAST(? AS TEXT), ?)`,
      );
      stagingTransaction(c.db, () => insertBatch(stmt!, batch, bodies, importId));
    },
    commit: (importedAt) =>
      c.db.transaction(() => {
        const db = c.db;
        const p = { b: m.bundleId, i: importId, v: m.version, from: installed.version, at: importedAt };
        // Worked on = local annotations, or annotations and adjudications received from other
        // devices: deleting such a task would orphan work this store holds as evidence.
        const workedOn = `(EXISTS (SELECT 1 FROM annotations a WHERE a.bundle_id = t.bundle_id AND a.task_id = t.task_id)
          OR EXISTS (SELECT 1 FROM received_records rr WHERE rr.bundle_id = t.bundle_id AND rr.task_id = t.task_id))`;
        const changedJoin = `FROM tasks t JOIN import_staging s ON s.import_id = @i AND s.task_id = t.task_id WHERE t.bundle_id = @b AND t.hash <> s.hash`;
        const changed = (db.prepare(`SELECT COUNT(*) AS n ${changedJoin}`).get(p) as { n: number }).n;
        const added = (
          db.prepare(`SELECT COUNT(*) AS n FROM import_staging s WHERE s.import_id = @i AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.bundle_id = @b AND t.task_id = s.task_id AND t.retired = 0)`).get(p) as { n: number }
        ).n;
        const removed = (
          db.prepare(`SELECT COUNT(*) AS n FROM tasks t WHERE t.bundle_id = @b AND t.retired = 0 AND NOT EXISTS (SELECT 1 FROM import_staging s WHERE s.import_id = @i AND s.task_id = t.task_id)`).get(p) as { n: number }
        ).n;
        db.prepare(`INSERT OR IGNORE INTO task_revisions (bundle_id, task_id, hash, bundle_version, body) SELECT t.bundle_id, t.task_id, t.hash, t.bundle_version, t.body ${changedJoin} AND ${workedOn}`).run(p);
        const flagInto = `INSERT OR IGNORE INTO annotation_reviews (bundle_id, task_id, annotator_id, old_hash, new_hash, from_version, to_version, flagged_at)`;
        const localFlags = db
          .prepare(
            `${flagInto}
             SELECT DISTINCT t.bundle_id, t.task_id, a.annotator_id, t.hash, s.hash, @from, @v, @at
             FROM tasks t JOIN import_staging s ON s.import_id = @i AND s.task_id = t.task_id
             JOIN annotations a ON a.bundle_id = t.bundle_id AND a.task_id = t.task_id
             WHERE t.bundle_id = @b AND t.hash <> s.hash`,
          )
          .run(p).changes;
        // Received annotations are flagged under their author, like local ones. A separate
        // statement (not a UNION) keeps each join driven by its own (bundle_id, task_id) index;
        // OR IGNORE counts an author with both local and received work once. An author whose
        // latest received work was already made against this version or a newer one has seen
        // the new content, so is not flagged.
        const receivedFlags = db
          .prepare(
            `${flagInto}
             SELECT t.bundle_id, t.task_id, r.author_id, t.hash, s.hash, @from, @v, @at
             FROM tasks t JOIN import_staging s ON s.import_id = @i AND s.task_id = t.task_id
             JOIN received_records r ON r.bundle_id = t.bundle_id AND r.task_id = t.task_id AND r.kind = 'annotation'
             WHERE t.bundle_id = @b AND t.hash <> s.hash
             GROUP BY t.task_id, r.author_id HAVING MAX(r.bundle_version) < @v`,
          )
          .run(p).changes;
        const flagged = localFlags + receivedFlags;
        // The review index compares work on the installed content: tasks whose content changes
        // (or that are dropped) under work are recomputed once the new content is in place.
        const reindex = db.prepare(`SELECT t.task_id FROM tasks t LEFT JOIN import_staging s ON s.import_id = @i AND s.task_id = t.task_id WHERE t.bundle_id = @b AND (s.hash IS NULL OR t.hash <> s.hash) AND ${workedOn}`).pluck().all(p) as string[];
        db.prepare(`UPDATE tasks SET retired = 1 WHERE bundle_id = @b AND retired = 0`).run(p);
        db.prepare(
          `INSERT INTO tasks (bundle_id, task_id, position, kind, title, body, hash, bundle_version, retired)
           SELECT @b, task_id, position, kind, title, body, hash, @v, 0 FROM import_staging WHERE import_id = @i ORDER BY position
           ON CONFLICT (bundle_id, task_id) DO UPDATE SET position = excluded.position, kind = excluded.kind, title = excluded.title,
             body = excluded.body, hash = excluded.hash, bundle_version = excluded.bundle_version, retired = 0`,
        ).run(p);
        db.prepare(`DELETE FROM tasks AS t WHERE t.bundle_id = @b AND t.retired = 1 AND NOT ${workedOn}`).run(p);
        db.prepare(`DELETE FROM import_staging WHERE import_id = @i`).run(p);
        const row = bundleRow(c, importedAt, 'ready');
        const { id: _id, ...set } = row;
        db.prepare(`UPDATE bundles SET ${Object.keys(set).map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run(row);
        assignTasks(db, c.header);
        for (const taskId of reindex) refreshReviewTask(db, m.bundleId, taskId, importedAt);
        const changes = { added, changed, removed, flagged };
        recordVersion(c, importedAt, changes);
        return changes;
      }).immediate(),
    discard: () => {
      c.db.prepare(`DELETE FROM import_staging WHERE import_id = ?`).run(importId);
    },
  };
}

/**
 * Rebuilds a bundle's task_assignees from its assignment, set-based inside the commit: the
 * same rule as assigneesOf() (shared/domain/assignment.ts), written in SQL.
 */
export function assignTasks(db: Database, header: HeaderMessage): void {
  const bundleId = header.manifest.bundleId;
  db.prepare('DELETE FROM task_assignees WHERE bundle_id = ?').run(bundleId);
  const a = header.settings.assignment;
  if (!a?.annotators || a.annotators.length === 0) return;
  const names = a.annotators.map(annotatorKey);
  const k = Math.min(a.perTask, names.length);
  db.prepare(
    `INSERT OR IGNORE INTO task_assignees (bundle_id, annotator, position, task_id)
     SELECT t.bundle_id, n.value, t.position, t.task_id FROM tasks t, json_each(@names) n
     WHERE t.bundle_id = @b AND t.retired = 0 AND ((n.key - t.position * @k) % @n + @n) % @n < @k`,
  ).run({ b: bundleId, names: JSON.stringify(names), k, n: names.length });
}

/** At start-up: whatever an interrupted import left behind is removed before anyone can see it. */
export function recoverInterruptedImports(db: Database): number {
  const staged = db.prepare(`SELECT id FROM bundles WHERE state = 'staging'`).all() as { id: string }[];
  for (const s of staged) discardStaged(db, s.id);
  const orphans = db.prepare(`DELETE FROM import_staging`).run().changes;
  return staged.length + (orphans > 0 ? 1 : 0);
}
