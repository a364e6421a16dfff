import type { Migration } from './types.ts';

/**
 * Sync: the outbox of submitted work, the device's sealed batches, and how this workstation
 * is enrolled. Self-contained on purpose: it only adds tables.
 */
export const m002Outbox: Migration = {
  version: 2,
  name: 'sync: outbox, sealed batches, enrolment',
  up: (db) => {
    db.exec(`
      -- One row per submitted record, written in the same transaction as the submission.
      -- batch_seq is set when the record is sealed into a batch, and never changes after.
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('annotation', 'adjudication')),
        record_id TEXT NOT NULL UNIQUE,
        body TEXT NOT NULL,
        batch_seq INTEGER REFERENCES sync_batches(seq),
        enqueued_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX outbox_unsealed ON outbox (batch_seq, id);

      -- This device's batches. payload (the signed bytes) is written when sealed; envelope
      -- (the DSSE JSON, i.e. the batch file) when signed. A retry sends envelope unchanged.
      CREATE TABLE sync_batches (
        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
        prev_hash TEXT NOT NULL,
        payload BLOB NOT NULL,
        record_count INTEGER NOT NULL CHECK (record_count >= 1),
        envelope BLOB,
        hash TEXT,
        state TEXT NOT NULL CHECK (state IN ('sealed', 'signed', 'sent', 'refused')),
        receipt BLOB,
        refusal TEXT,
        sealed_at TEXT NOT NULL,
        sent_at TEXT,
        CHECK ((state = 'sealed') = (envelope IS NULL)),
        CHECK ((state = 'sent') = (receipt IS NOT NULL))
      ) STRICT;

      -- Sealed and signed bytes are evidence: they never change once written.
      CREATE TRIGGER sync_batches_bytes_immutable BEFORE UPDATE OF payload, prev_hash, record_count ON sync_batches
        BEGIN SELECT RAISE(ABORT, 'sealed batches are immutable'); END;
      CREATE TRIGGER sync_batches_envelope_once BEFORE UPDATE OF envelope, hash ON sync_batches
        WHEN OLD.envelope IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a signed batch is never re-signed'); END;
      CREATE TRIGGER sync_batches_undeletable BEFORE DELETE ON sync_batches
        BEGIN SELECT RAISE(ABORT, 'batches cannot be deleted'); END;

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
