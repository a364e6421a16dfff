import type { ServerMigration } from './types.ts';

/**
 * The schema every server had before migrations were numbered: a database at version 1 is this.
 * PostgreSQL's statements say IF NOT EXISTS because servers of that time re-ran them at every
 * start; keep them so.
 */
export const s001Initial: ServerMigration = {
  version: 1,
  name: 'devices, enrolment tokens, batches, records, conflicts, bundles',
  sqlite: `
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    CREATE TABLE enrol_tokens (
      token_hash TEXT PRIMARY KEY, label TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
      used_at TEXT, used_by TEXT
    ) STRICT;
    CREATE TABLE devices (
      device_id TEXT PRIMARY KEY, key_id TEXT NOT NULL UNIQUE, public_jwk TEXT NOT NULL,
      user_id TEXT NOT NULL, display_name TEXT NOT NULL, role TEXT NOT NULL,
      enrolled_at TEXT NOT NULL, revoked_at TEXT,
      last_seq INTEGER NOT NULL DEFAULT 0, last_hash TEXT NOT NULL
    ) STRICT;
    CREATE TABLE batches (
      device_id TEXT NOT NULL REFERENCES devices(device_id), seq INTEGER NOT NULL, hash TEXT NOT NULL,
      envelope BLOB NOT NULL, receipt BLOB NOT NULL, record_count INTEGER NOT NULL, accepted_at TEXT NOT NULL,
      PRIMARY KEY (device_id, seq)
    ) STRICT;
    CREATE TABLE records (
      cursor INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, device_id TEXT NOT NULL, seq INTEGER NOT NULL,
      author_id TEXT NOT NULL, author_name TEXT NOT NULL, bundle_id TEXT NOT NULL, bundle_version INTEGER NOT NULL,
      task_id TEXT NOT NULL, position INTEGER NOT NULL, accepted_at TEXT NOT NULL,
      FOREIGN KEY (device_id, seq) REFERENCES batches (device_id, seq)
    ) STRICT;
    CREATE TABLE conflicts (
      id INTEGER PRIMARY KEY AUTOINCREMENT, device_id TEXT NOT NULL, seq INTEGER NOT NULL, reason TEXT NOT NULL,
      existing_hash TEXT, offered_hash TEXT NOT NULL, envelope BLOB NOT NULL, at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE bundles (
      bundle_id TEXT NOT NULL, version INTEGER NOT NULL, sha256 TEXT NOT NULL, bytes BLOB NOT NULL, uploaded_at TEXT NOT NULL,
      PRIMARY KEY (bundle_id, version)
    ) STRICT;
  `,
  postgres: `
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS enrol_tokens (
      token_hash TEXT PRIMARY KEY, label TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT, used_by TEXT
    );
    CREATE TABLE IF NOT EXISTS devices (
      device_id TEXT PRIMARY KEY, key_id TEXT NOT NULL UNIQUE, public_jwk TEXT NOT NULL,
      user_id TEXT NOT NULL, display_name TEXT NOT NULL, role TEXT NOT NULL,
      enrolled_at TEXT NOT NULL, revoked_at TEXT, last_seq INTEGER NOT NULL DEFAULT 0, last_hash TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS batches (
      device_id TEXT NOT NULL REFERENCES devices(device_id), seq INTEGER NOT NULL, hash TEXT NOT NULL,
      envelope BYTEA NOT NULL, receipt BYTEA NOT NULL, record_count INTEGER NOT NULL, accepted_at TEXT NOT NULL,
      PRIMARY KEY (device_id, seq)
    );
    CREATE TABLE IF NOT EXISTS records (
      cursor BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, device_id TEXT NOT NULL, seq INTEGER NOT NULL,
      author_id TEXT NOT NULL, author_name TEXT NOT NULL, bundle_id TEXT NOT NULL, bundle_version INTEGER NOT NULL,
      task_id TEXT NOT NULL, position INTEGER NOT NULL, accepted_at TEXT NOT NULL,
      FOREIGN KEY (device_id, seq) REFERENCES batches (device_id, seq)
    );
    CREATE INDEX IF NOT EXISTS records_by_author ON records (author_id, bundle_id);
    CREATE TABLE IF NOT EXISTS conflicts (
      id BIGSERIAL PRIMARY KEY, device_id TEXT NOT NULL, seq INTEGER NOT NULL, reason TEXT NOT NULL,
      existing_hash TEXT, offered_hash TEXT NOT NULL, envelope BYTEA NOT NULL, at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS bundles (
      bundle_id TEXT NOT NULL, version INTEGER NOT NULL, sha256 TEXT NOT NULL, bytes BYTEA NOT NULL, uploaded_at TEXT NOT NULL,
      PRIMARY KEY (bundle_id, version)
    );
  `,
};
