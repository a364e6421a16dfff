import type { Database } from 'better-sqlite3';
import { GENESIS_HASH, Role } from '../../../shared/domain/index.ts';
import { verifyBatchBytes, type KnownDevice } from '../../../shared/node/batch-verify.ts';
import { PublicJwk, keyId } from '../../../shared/node/keys.ts';
import { decideBatch } from '../../../shared/sync/chain.ts';
import type { ReviewDevice } from '../../../shared/sync/wire.ts';
import { refreshReviewTask } from '../review/review-index.ts';
import { receivedRecordIssues } from '../work/check.ts';

/** A device as the server lists it for reviewers (its last seq is not kept here). */
export type DeviceKey = Omit<ReviewDevice, 'lastSeq'>;

/** Records the keys of other devices (as listed by the sync server) so their batches can be verified here. */
export function upsertKnownDevices(db: Database, devices: readonly DeviceKey[], at: string): void {
  const stmt = db.prepare(
    `INSERT INTO known_devices (device_id, key_id, public_jwk, user_id, display_name, role, revoked_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (device_id) DO UPDATE SET display_name = excluded.display_name, role = excluded.role, revoked_at = excluded.revoked_at, updated_at = excluded.updated_at
     WHERE known_devices.key_id = excluded.key_id`,
  );
  db.transaction(() => {
    for (const d of devices) {
      const pub = PublicJwk.parse(d.publicKey);
      stmt.run(d.deviceId, keyId(pub), JSON.stringify(pub), d.userId, d.displayName, d.role, d.revokedAt, at);
    }
  })();
}

function knownByKeyId(db: Database, kid: string): KnownDevice | null {
  const r = db.prepare('SELECT device_id, key_id, public_jwk, user_id, role, revoked_at FROM known_devices WHERE key_id = ?').get(kid) as
    | { device_id: string; key_id: string; public_jwk: string; user_id: string; role: string; revoked_at: string | null }
    | undefined;
  if (!r) return null;
  // A role this version does not know grants nothing: the device counts as an annotator's.
  const role = Role.safeParse(r.role);
  return { deviceId: r.device_id, keyId: r.key_id, publicJwk: PublicJwk.parse(JSON.parse(r.public_jwk)), userId: r.user_id, role: role.success ? role.data : 'annotator', revokedAt: r.revoked_at };
}

/**
 * 'whole': the device's full chain arrives (reviewers' pulls, batch files), so seq and prevHash
 * are checked. 'filtered': the server serves an author only the reviewer batches that hold a
 * decision on their tasks, so seqs skip; each batch's signature is still verified, and a held
 * seq must still be the identical bytes, but the links between served batches cannot be.
 */
export type ChainView = 'whole' | 'filtered';

export type ReceiveResult = { ok: true; deviceId: string; seq: number; duplicate: boolean } | { ok: false; message: string; expectedSeq?: number };

/**
 * Accepts another device's batch on a reviewer's workstation: the server's verification rule
 * (shared/node/batch-verify.ts) against keys learned from the server, then the same chain
 * rule per device (seq = last + 1, prevHash = hash of the last batch; an identical replay is a
 * no-op; other bytes for a held seq are refused). Synchronous: call on the core's writer.
 * Received annotations take part in review flags like local ones: newer work resolves the
 * author's open flags on that task, and work made against since-changed content is flagged.
 */
export async function receiveBatch(db: Database, bytes: Buffer, at: string, chain: ChainView = 'whole'): Promise<ReceiveResult> {
  const v = await verifyBatchBytes(bytes, (kid) => knownByKeyId(db, kid));
  if (!v.ok) return { ok: false, message: v.code === 'unknown_key' ? 'the batch is signed by a device this workstation does not know; sync with the server once to learn its key' : v.message };
  const { device, batch, hash, records } = v;
  return db
    .transaction((): ReceiveResult => {
      const held = db.prepare('SELECT hash FROM received_batches WHERE device_id = ? AND seq = ?').get(device.deviceId, batch.seq) as { hash: string } | undefined;
      const last = db.prepare('SELECT seq, hash FROM received_batches WHERE device_id = ? ORDER BY seq DESC LIMIT 1').get(device.deviceId) as { seq: number; hash: string } | undefined;
      const head = chain === 'whole' ? { lastSeq: last?.seq ?? 0, lastHash: last?.hash ?? GENESIS_HASH } : { lastSeq: batch.seq - 1, lastHash: batch.prevHash };
      const decision = decideBatch(head, held?.hash ?? null, { seq: batch.seq, prevHash: batch.prevHash, hash });
      switch (decision.kind) {
        case 'duplicate':
          return { ok: true, deviceId: device.deviceId, seq: batch.seq, duplicate: true };
        case 'conflict':
          return { ok: false, message: `batch ${batch.seq} of ${device.deviceId} is already held with different content` };
        case 'gap':
          return { ok: false, message: `expected batch ${decision.expectedSeq} of ${device.deviceId} next, got ${batch.seq}`, expectedSeq: decision.expectedSeq };
        case 'chain_mismatch':
          return { ok: false, message: `batch ${batch.seq} does not follow batch ${last?.seq ?? 0} of ${device.deviceId}` };
        case 'accept':
          break;
      }
      // A record id held from another batch (or twice in this one) refuses the batch, as the
      // server's record_clash does, instead of failing on the primary key.
      const heldRecord = db.prepare('SELECT device_id, seq FROM received_records WHERE id = ?');
      const ids = new Set<string>();
      for (const r of records) {
        const other = heldRecord.get(r.id) as { device_id: string; seq: number } | undefined;
        if (other || ids.has(r.id)) return { ok: false, message: `record ${r.id} was already received${other ? ` in batch ${other.seq} of ${other.device_id}` : ' in this batch'}` };
        ids.add(r.id);
      }
      db.prepare('INSERT INTO received_batches (device_id, seq, hash, envelope, record_count, received_at) VALUES (?, ?, ?, ?, ?, ?)').run(device.deviceId, batch.seq, hash, bytes, records.length, at);
      // The body as verified inside the signed batch, kept queryable (migration 004): verified
      // once, here, and never again. A record that breaks the submission rules is kept with its
      // issues (the batch is the device's signed chain) but left out of review and export.
      const ins = db.prepare(
        `INSERT INTO received_records (id, kind, device_id, seq, position, author_id, author_name, bundle_id, bundle_version, task_id, body, revision, supersedes, task_hash, issues)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const touched = new Map<string, { bundleId: string; taskId: string }>();
      // Flags on received work, kept in step with the records in this same transaction (the way a
      // local submit resolves its flags). Indexed lookups per record: the annotation_reviews key
      // starts (bundle_id, task_id, annotator_id), tasks is keyed by (bundle_id, task_id).
      const resolve = db.prepare(
        `UPDATE annotation_reviews SET resolved_at = @at
         WHERE bundle_id = @b AND task_id = @t AND annotator_id = @a AND resolved_at IS NULL AND to_version <= @v`,
      );
      const flagStale = db.prepare(
        `INSERT OR IGNORE INTO annotation_reviews (bundle_id, task_id, annotator_id, old_hash, new_hash, from_version, to_version, flagged_at)
         SELECT t.bundle_id, t.task_id, @a, @h, t.hash, @v, b.version, @at
         FROM tasks t JOIN bundles b ON b.id = t.bundle_id AND b.state = 'ready'
         WHERE t.bundle_id = @b AND t.task_id = @t AND @v < b.version AND t.hash <> @h
           AND NOT EXISTS (SELECT 1 FROM received_records rr WHERE rr.bundle_id = @b AND rr.task_id = @t AND rr.author_id = @a
                             AND rr.kind = 'annotation' AND rr.bundle_version >= b.version)`,
      );
      for (const r of records) {
        const src = batch.records[r.position]!;
        const issues = receivedRecordIssues(db, src);
        ins.run(
          r.id,
          r.kind,
          device.deviceId,
          batch.seq,
          r.position,
          r.authorId,
          r.authorName,
          r.bundleId,
          r.bundleVersion,
          r.taskId,
          JSON.stringify(src.record),
          src.record.revision,
          src.record.supersedes,
          src.record.taskHash,
          issues.length > 0 ? JSON.stringify(issues) : null,
        );
        touched.set(`${r.bundleId}\u0000${r.taskId}`, { bundleId: r.bundleId, taskId: r.taskId });
        if (src.type !== 'annotation') continue;
        const p = { b: r.bundleId, t: r.taskId, a: r.authorId, v: r.bundleVersion, h: src.record.taskHash, at };
        // Work made against the version that flagged it (or a later one) is the second look.
        resolve.run(p);
        // Work made against an older version whose task content has changed since (its taskHash
        // is not the installed content's) needs the same second look as work an update changed
        // under; unless the author's newer work on the current version is already held.
        flagStale.run(p);
      }
      for (const t of touched.values()) refreshReviewTask(db, t.bundleId, t.taskId, at);
      return { ok: true, deviceId: device.deviceId, seq: batch.seq, duplicate: false };
    })
    .immediate();
}
