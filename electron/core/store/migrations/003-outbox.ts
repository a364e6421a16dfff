import type { Migration } from './types.ts';

/**
 * Sync: the outbox of submitted work, the device's sealed batches, and how this workstation
 * is enrolled. Self-contained on purpose: it only adds tables.
 */
export const m003Outbox: Migration = {
  version: 3,
  name: 'sync: outbox, sealed batches, enrolment',
  up: (db) => {
    db.exec(`
      -- One row per submitted record, written in the same transaction as the submission. ids
      -- only grow (AUTOINCREMENT, one writer), so a batch is a contiguous id range: sealing
      -- records the range instead of rewriting every queued row.
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('annotation', 'adjudication')),
        record_id TEXT NOT NULL UNIQUE,
        body TEXT NOT NULL,
        enqueued_at TEXT NOT NULL
      ) STRICT;
      -- Queued work is evidence too: its bytes never change and it is never dropped.
      CREATE TRIGGER outbox_immutable BEFORE UPDATE ON outbox
        BEGIN SELECT RAISE(ABORT, 'queued records are immutable'); END;
      CREATE TRIGGER outbox_undeletable BEFORE DELETE ON outbox
        BEGIN SELECT RAISE(ABORT, 'queued records cannot be deleted'); END;

      -- This device's batches. Sealing writes what defines the payload (device, seq, previous
      -- hash, creation time, which outbox records) and the payload's SHA-256; signing writes the
      -- envelope (the batch file) to sync_batch_files, in its own table so that state changes
      -- never rewrite megabytes. A retry sends those stored bytes unchanged.
      CREATE TABLE sync_batches (
        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
        device_id TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        payload_sha256 TEXT NOT NULL,
        -- The outbox ids in this batch: first_outbox_id..last_outbox_id inclusive.
        first_outbox_id INTEGER NOT NULL,
        last_outbox_id INTEGER NOT NULL UNIQUE,
        record_count INTEGER NOT NULL CHECK (record_count >= 1),
        hash TEXT,
        state TEXT NOT NULL CHECK (state IN ('sealed', 'signed', 'sent', 'refused')),
        receipt BLOB,
        refusal TEXT,
        sent_at TEXT,
        CHECK ((state = 'sealed') = (hash IS NULL)),
        CHECK ((state = 'sent') = (receipt IS NOT NULL))
      ) STRICT;

      CREATE TABLE sync_batch_files (
        seq INTEGER PRIMARY KEY REFERENCES sync_batches(seq),
        envelope BLOB NOT NULL
      ) STRICT;

      -- Sealed and signed bytes are evidence: they never change once written.
      CREATE TRIGGER sync_batches_bytes_immutable BEFORE UPDATE OF seq, device_id, prev_hash, created_at, payload_sha256, first_outbox_id, last_outbox_id, record_count ON sync_batches
        BEGIN SELECT RAISE(ABORT, 'sealed batches are immutable'); END;
      CREATE TRIGGER sync_batches_hash_once BEFORE UPDATE OF hash ON sync_batches
        WHEN OLD.hash IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a signed batch is never re-signed'); END;
      CREATE TRIGGER sync_batches_undeletable BEFORE DELETE ON sync_batches
        BEGIN SELECT RAISE(ABORT, 'batches cannot be deleted'); END;
      CREATE TRIGGER sync_batch_files_immutable BEFORE UPDATE ON sync_batch_files
        BEGIN SELECT RAISE(ABORT, 'a signed batch is never re-signed'); END;
      CREATE TRIGGER sync_batch_files_undeletable BEFORE DELETE ON sync_batch_files
        BEGIN SELECT RAISE(ABORT, 'batches cannot be deleted'); END;

      -- For reviewers: other devices' keys (from the server) and the batches received from them,
      -- verified with the same rule the server uses and chained per device the same way.
      CREATE TABLE known_devices (
        device_id TEXT PRIMARY KEY,
        key_id TEXT NOT NULL UNIQUE,
        public_jwk TEXT NOT NULL,
        user_id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        revoked_at TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE received_batches (
        device_id TEXT NOT NULL REFERENCES known_devices(device_id),
        seq INTEGER NOT NULL CHECK (seq >= 1),
        hash TEXT NOT NULL,
        envelope BLOB NOT NULL,
        record_count INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (device_id, seq)
      ) STRICT;
      CREATE TABLE received_records (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('annotation', 'adjudication')),
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        position INTEGER NOT NULL,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        bundle_id TEXT NOT NULL,
        bundle_version INTEGER NOT NULL,
        task_id TEXT NOT NULL,
        FOREIGN KEY (device_id, seq) REFERENCES received_batches (device_id, seq)
      ) STRICT;
      CREATE INDEX received_records_by_task ON received_records (bundle_id, task_id);

      CREATE TABLE sync_enrolment (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        server_url TEXT NOT NULL,
        server_public_jwk TEXT NOT NULL,
        enrolled_at TEXT NOT NULL,
        last_success_at TEXT,
        last_error TEXT,
        last_attempt_at TEXT
      ) STRICT;
    `);
  },
};
