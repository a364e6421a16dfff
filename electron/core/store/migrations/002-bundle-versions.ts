import type { Migration } from './types.ts';

/**
 * Bundle versions and streamed import.
 *
 * - tasks_queue: a covering index for queue pages (replaces tasks_by_position).
 * - bundles.state: a first import writes its tasks straight into `tasks` under a bundle row in
 *   state 'staging', which no query shows; the commit flips it to 'ready'. A crash leaves a
 *   staging row that the next start deletes with its tasks.
 * - import_staging: the new version of an installed bundle is staged here, then merged into
 *   `tasks` in one transaction.
 * - bundle_versions: every version ever installed (TUF-style history: what, when, signed by whom).
 * - task_revisions: a task's earlier content, kept when an annotation was made against it.
 * - annotation_reviews: an annotator's work on a task whose content changed under it; kept, and
 *   flagged until a person looks at it again.
 * - key_rotations: signed statements by which an org key handed over to its successor.
 * - task_assignees: which named annotator each task goes to (bundle assignment), for the queue.
 */
export const m002BundleVersions: Migration = {
  version: 2,
  name: 'bundle versions: staged import, version history, flags on annotations of changed tasks',
  up: (db) => {
    db.exec(`
      -- The queue lists pages of 100k-task bundles: an index that covers the listed columns
      -- saves reading each task's multi-kilobyte body row just to show its title.
      DROP INDEX tasks_by_position;
      CREATE INDEX tasks_queue ON tasks (bundle_id, retired, position, kind, title);

      ALTER TABLE bundles ADD COLUMN state TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'staging'));

      CREATE TABLE import_staging (
        import_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (import_id, task_id)
      ) STRICT;

      CREATE TABLE bundle_versions (
        bundle_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        signer_key_id TEXT NOT NULL,
        signer_label TEXT NOT NULL,
        task_count INTEGER NOT NULL,
        added INTEGER NOT NULL,
        changed INTEGER NOT NULL,
        removed INTEGER NOT NULL,
        flagged INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        PRIMARY KEY (bundle_id, version)
      ) STRICT;
      -- Versions installed before this migration: the current one is all we know.
      INSERT INTO bundle_versions
        SELECT id, version, manifest_sha256, signer_key_id, signer_label, task_count, task_count, 0, 0, 0, created_at, imported_at FROM bundles;

      CREATE TABLE task_revisions (
        bundle_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        hash TEXT NOT NULL,
        bundle_version INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (bundle_id, task_id, hash)
      ) STRICT;

      CREATE TABLE annotation_reviews (
        bundle_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        annotator_id TEXT NOT NULL,
        old_hash TEXT NOT NULL,
        new_hash TEXT NOT NULL,
        from_version INTEGER NOT NULL,
        to_version INTEGER NOT NULL,
        flagged_at TEXT NOT NULL,
        resolved_at TEXT,
        PRIMARY KEY (bundle_id, task_id, annotator_id, to_version),
        FOREIGN KEY (bundle_id, task_id) REFERENCES tasks (bundle_id, task_id)
      ) STRICT;
      -- Signed statements by which an old org key handed over to a new one (kept as evidence).
      CREATE TABLE key_rotations (
        old_key_id TEXT NOT NULL,
        new_key_id TEXT NOT NULL,
        statement TEXT NOT NULL,
        applied_at TEXT NOT NULL,
        PRIMARY KEY (old_key_id, new_key_id)
      ) STRICT;

      -- Tasks per named annotator when a bundle's assignment names them (key: annotatorKey(name)).
      CREATE TABLE task_assignees (
        bundle_id TEXT NOT NULL,
        annotator TEXT NOT NULL,
        position INTEGER NOT NULL,
        task_id TEXT NOT NULL,
        PRIMARY KEY (bundle_id, annotator, position)
      ) STRICT, WITHOUT ROWID;

      CREATE INDEX annotation_reviews_open ON annotation_reviews (bundle_id, annotator_id) WHERE resolved_at IS NULL;
    `);
  },
};
