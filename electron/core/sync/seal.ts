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

/**
 * Seals the oldest unsealed outbox records (at most `maxRecords`) into the next batch: seq,
 * previous hash and payload bytes are written and the records marked in one transaction
 * (the store runs synchronous=FULL, so a sealed batch survives a crash). Signing comes after,
 * as a separate step; a batch whose predecessor is not yet signed cannot be sealed, because
 * its prevHash is the hash of that signed envelope.
 */
export function sealNext(db: Database, deviceId: string, maxRecords: number, now: string): number | null {
  return db
    .transaction((): number | null => {
      const last = db.prepare('SELECT seq, hash, state FROM sync_batches ORDER BY seq DESC LIMIT 1').get() as LastBatch | undefined;
      if (last && last.hash === null) throw new Error(`batch ${last.seq} is sealed but not signed; sign it before sealing the next`);
      const rows = db.prepare('SELECT id, kind, body FROM outbox WHERE batch_seq IS NULL ORDER BY id LIMIT ?').all(maxRecords) as {
        id: number;
        kind: string;
        body: string;
      }[];
      if (rows.length === 0) return null;
      const seq = (last?.seq ?? 0) + 1;
      const prevHash = last?.hash ?? GENESIS_HASH;
      // Bodies are already JSON written by JSON.stringify; splicing them avoids a parse and
      // re-serialise of every record, and yields the same bytes.
      const head = JSON.stringify({ format: BATCH_FORMAT, deviceId, seq, prevHash, createdAt: now });
      const records = rows.map((r) => `{"type":${JSON.stringify(r.kind)},"record":${r.body}}`).join(',');
      const payload = Buffer.from(`${head.slice(0, -1)},"records":[${records}]}`, 'utf8');
      db.prepare("INSERT INTO sync_batches (seq, prev_hash, payload, record_count, state, sealed_at) VALUES (?, ?, ?, ?, 'sealed', ?)").run(
        seq,
        prevHash,
        payload,
        rows.length,
        now,
      );
      const marked = db.prepare('UPDATE outbox SET batch_seq = ? WHERE batch_seq IS NULL AND id <= ?').run(seq, rows.at(-1)!.id);
      if (marked.changes !== rows.length) throw new Error(`sealing batch ${seq}: expected to mark ${rows.length} records, marked ${marked.changes}`);
      return seq;
    })
    .immediate();
}

/**
 * Signs every sealed batch, oldest first, and stores the envelope bytes: from then on those
 * bytes are the batch. Ed25519 is deterministic, so re-signing after a crash between sealing
 * and storing the signature yields the same envelope.
 */
export function signSealed(db: Database, key: PrivateJwk): number {
  const sealed = db.prepare("SELECT seq, payload FROM sync_batches WHERE state = 'sealed' ORDER BY seq").all() as { seq: number; payload: Buffer }[];
  const store = db.prepare("UPDATE sync_batches SET envelope = ?, hash = ?, state = 'signed' WHERE seq = ? AND state = 'sealed'");
  for (const b of sealed) {
    const envelope = Buffer.from(JSON.stringify(signEnvelope(BATCH_PAYLOAD_TYPE, b.payload, key)), 'utf8');
    store.run(envelope, sha256Hex(envelope), b.seq);
  }
  return sealed.length;
}

/** Seals and signs everything in the outbox. Returns the number of batches made. */
export function sealAll(db: Database, deviceId: string, key: PrivateJwk, maxRecords: number, now: () => string): number {
  signSealed(db, key);
  let made = 0;
  while (sealNext(db, deviceId, maxRecords, now()) !== null) {
    signSealed(db, key);
    made++;
  }
  return made;
}
