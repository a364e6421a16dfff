import type { Database } from 'better-sqlite3';
import { BATCH_FORMAT, BATCH_PAYLOAD_TYPE, GENESIS_HASH } from '../../../shared/domain/index.ts';
import { signEnvelope } from '../../../shared/node/dsse.ts';
import { sha256Hex } from '../../../shared/node/hash.ts';
import type { PrivateJwk } from '../../../shared/node/keys.ts';

export const DEFAULT_BATCH_SIZE = 500;

interface LastBatch {
  seq: number;
  hash: string | null;
  state: string;
}

interface OutboxRow {
  id: number;
  kind: string;
  body: string;
}

/**
 * The exact bytes that get signed. Bodies are already JSON written by JSON.stringify; splicing
 * them avoids a parse and re-serialise of every record. Deterministic: the same sealed batch
 * always yields the same bytes, which is what lets sealing store only what defines them.
 */
export function batchPayload(deviceId: string, seq: number, prevHash: string, createdAt: string, rows: readonly OutboxRow[]): Buffer {
  const head = JSON.stringify({ format: BATCH_FORMAT, deviceId, seq, prevHash, createdAt });
  const records = rows.map((r) => `{"type":${JSON.stringify(r.kind)},"record":${r.body}}`).join(',');
  return Buffer.from(`${head.slice(0, -1)},"records":[${records}]}`, 'utf8');
}

/**
 * Seals the oldest unsealed outbox records (at most `maxRecords`) into the next batch: seq,
 * previous hash, creation time, which records, and the SHA-256 of the resulting payload are
 * written in one transaction (the store runs synchronous=FULL, so a sealed batch survives a
 * crash). The payload itself is not stored a second time: it is a pure function of the sealed
 * row and the immutable outbox bodies, and its hash pins it. Signing comes after; a batch whose
 * predecessor is not yet signed cannot be sealed, because its prevHash is the hash of that
 * signed envelope.
 */
export function sealNext(db: Database, deviceId: string, maxRecords: number, now: string): { seq: number; payload: Buffer } | null {
  return db
    .transaction((): { seq: number; payload: Buffer } | null => {
      const last = db.prepare('SELECT seq, hash, state FROM sync_batches ORDER BY seq DESC LIMIT 1').get() as LastBatch | undefined;
      if (last && last.hash === null) throw new Error(`batch ${last.seq} is sealed but not signed; sign it before sealing the next`);
      const after = (db.prepare('SELECT COALESCE(MAX(last_outbox_id), 0) AS id FROM sync_batches').get() as { id: number }).id;
      const rows = db.prepare('SELECT id, kind, body FROM outbox WHERE id > ? ORDER BY id LIMIT ?').all(after, maxRecords) as OutboxRow[];
      if (rows.length === 0) return null;
      // An adjudication goes in a batch of its own: the server serves an author only whole
      // batches holding a decision on their task (a signature covers the whole batch), so no
      // other author's decision may share it. Annotations still travel many to a batch.
      const firstDecision = rows.findIndex((r) => r.kind === 'adjudication');
      if (firstDecision === 0) rows.splice(1);
      else if (firstDecision > 0) rows.splice(firstDecision);
      const seq = (last?.seq ?? 0) + 1;
      const prevHash = last?.hash ?? GENESIS_HASH;
      const payload = batchPayload(deviceId, seq, prevHash, now, rows);
      db.prepare(
        `INSERT INTO sync_batches (seq, device_id, prev_hash, created_at, payload_sha256, first_outbox_id, last_outbox_id, record_count, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'sealed')`,
      ).run(seq, deviceId, prevHash, now, sha256Hex(payload), rows[0]!.id, rows.at(-1)!.id, rows.length);
      return { seq, payload };
    })
    .immediate();
}

/** Rebuilds a sealed batch's payload from the store, and checks it against the sealed hash. */
export function sealedPayload(db: Database, seq: number): Buffer {
  const b = db.prepare('SELECT device_id, prev_hash, created_at, payload_sha256, first_outbox_id, last_outbox_id, record_count FROM sync_batches WHERE seq = ?').get(seq) as
    | { device_id: string; prev_hash: string; created_at: string; payload_sha256: string; first_outbox_id: number; last_outbox_id: number; record_count: number }
    | undefined;
  if (!b) throw new Error(`no batch ${seq}`);
  const rows = db.prepare('SELECT id, kind, body FROM outbox WHERE id BETWEEN ? AND ? ORDER BY id').all(b.first_outbox_id, b.last_outbox_id) as OutboxRow[];
  const payload = batchPayload(b.device_id, seq, b.prev_hash, b.created_at, rows);
  if (rows.length !== b.record_count || sha256Hex(payload) !== b.payload_sha256) throw new Error(`batch ${seq} no longer matches what was sealed; refusing to sign it`);
  return payload;
}

/**
 * Signs one sealed batch and stores the envelope bytes: from then on those bytes are the batch.
 * Ed25519 is deterministic, so signing again after a crash between sealing and storing the
 * signature yields the same envelope.
 */
export function signAndStore(db: Database, seq: number, payload: Buffer, key: PrivateJwk): void {
  const envelope = Buffer.from(JSON.stringify(signEnvelope(BATCH_PAYLOAD_TYPE, payload, key)), 'utf8');
  const hash = sha256Hex(envelope);
  db.transaction(() => {
    db.prepare('INSERT INTO sync_batch_files (seq, envelope) VALUES (?, ?)').run(seq, envelope);
    const done = db.prepare("UPDATE sync_batches SET hash = ?, state = 'signed' WHERE seq = ? AND state = 'sealed'").run(hash, seq);
    if (done.changes !== 1) throw new Error(`batch ${seq} is not waiting to be signed`);
  }).immediate();
}

/** Signs every batch left sealed but unsigned (after a crash), oldest first. */
export function signSealed(db: Database, key: PrivateJwk): number {
  const sealed = db.prepare("SELECT seq FROM sync_batches WHERE state = 'sealed' ORDER BY seq").pluck().all() as number[];
  for (const seq of sealed) signAndStore(db, seq, sealedPayload(db, seq), key);
  return sealed.length;
}
