import type { Migration } from './types.ts';

export const m001Initial: Migration = {
  version: 1,
  name: 'initial schema: identity, trust, bundles, tasks, annotations',
  up: (db) => {
    db.exec(`
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

      CREATE TABLE identity (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        user_id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('annotator', 'reviewer', 'admin')),
        device_id TEXT NOT NULL,
        device_public_jwk TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE trusted_keys (
        key_id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        jwk TEXT NOT NULL,
        bundle_prefix TEXT,
        added_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE bundles (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        description TEXT,
        settings TEXT NOT NULL,
        guidelines TEXT NOT NULL,
        rubric TEXT NOT NULL,
        taxonomy TEXT NOT NULL,
        manifest TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        signer_key_id TEXT NOT NULL,
        signer_label TEXT NOT NULL,
        sample INTEGER NOT NULL DEFAULT 0,
        task_count INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        imported_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE tasks (
        bundle_id TEXT NOT NULL REFERENCES bundles(id),
        task_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('compare', 'exemplar', 'trajectory')),
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        hash TEXT NOT NULL,
        bundle_version INTEGER NOT NULL,
        -- A task dropped by a later bundle version but kept because someone annotated it.
        retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
        PRIMARY KEY (bundle_id, task_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX tasks_by_position ON tasks (bundle_id, retired, position);

      -- Every revision of every annotation. body is the full Annotation JSON.
      CREATE TABLE annotations (
        id TEXT PRIMARY KEY,
        bundle_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        annotator_id TEXT NOT NULL,
        revision INTEGER NOT NULL CHECK (revision >= 1),
        status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
        supersedes TEXT REFERENCES annotations(id),
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        FOREIGN KEY (bundle_id, task_id) REFERENCES tasks (bundle_id, task_id),
        UNIQUE (bundle_id, task_id, annotator_id, revision)
      ) STRICT;
      CREATE UNIQUE INDEX annotations_one_draft ON annotations (bundle_id, task_id, annotator_id) WHERE status = 'draft';

      -- Submitted work is immutable: the store itself refuses to change or delete it.
      CREATE TRIGGER annotations_submitted_immutable BEFORE UPDATE ON annotations
        WHEN OLD.status = 'submitted'
        BEGIN SELECT RAISE(ABORT, 'submitted annotations are immutable'); END;
      CREATE TRIGGER annotations_submitted_undeletable BEFORE DELETE ON annotations
        WHEN OLD.status = 'submitted'
        BEGIN SELECT RAISE(ABORT, 'submitted annotations cannot be deleted'); END;

      -- One row per (bundle, annotator, task) that has any work: keeps queue filters and counts cheap.
      CREATE TABLE task_state (
        bundle_id TEXT NOT NULL,
        annotator_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        -- escalated = submitted with at least one escalation: it leaves the annotator's to-do list
        -- and waits in the reviewers' escalation queue.
        status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'escalated')),
        revision INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (bundle_id, annotator_id, task_id),
        FOREIGN KEY (bundle_id, task_id) REFERENCES tasks (bundle_id, task_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
