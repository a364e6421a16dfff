import { Batch, BATCH_PAYLOAD_TYPE } from '../domain/index.ts';
import type { SyncErrorCode } from '../sync/wire.ts';
import { SignatureError, verifyEnvelopeJson } from './dsse.ts';
import { sha256Hex } from './hash.ts';
import type { PublicJwk } from './keys.ts';

/** A device as the verifier knows it: its key, who enrolled it, whether it was revoked. */
export interface KnownDevice {
  deviceId: string;
  keyId: string;
  publicJwk: PublicJwk;
  userId: string;
  revokedAt: string | null;
}

export interface VerifiedRecord {
  id: string;
  kind: 'annotation' | 'adjudication';
  authorId: string;
  authorName: string;
  bundleId: string;
  bundleVersion: number;
  taskId: string;
  /** Index in the batch's records. */
  position: number;
}

export type BatchVerification =
  | { ok: true; device: KnownDevice; batch: Batch; hash: string; records: VerifiedRecord[] }
  | { ok: false; status: number; code: SyncErrorCode; message: string; issues?: { path: string; message: string }[] };

function refuse(status: number, code: SyncErrorCode, message: string, issues?: { path: string; message: string }[]): BatchVerification {
  return issues ? { ok: false, status, code, message, issues } : { ok: false, status, code, message };
}

function keyidHints(raw: unknown): string[] {
  const sigs = (raw as { signatures?: unknown } | null)?.signatures;
  if (!Array.isArray(sigs)) throw new Error('no signatures');
  return sigs.slice(0, 8).flatMap((s: unknown) => {
    const k = (s as { keyid?: unknown } | null)?.keyid;
    return typeof k === 'string' ? [k] : [];
  });
}

/**
 * The one rule for accepting a batch's bytes, on the server and on a reviewer's workstation.
 * The keyid hints only choose which known keys to try; the signature over the exact payload
 * bytes decides, and only then is the payload parsed and validated. The batch and every record
 * must name the signing device, and every record its enrolled user: nobody else's work passes.
 * Sequence and chain checks belong to the caller's store.
 */
export async function verifyBatchBytes(bytes: Buffer, findByKeyId: (keyId: string) => Promise<KnownDevice | null> | KnownDevice | null): Promise<BatchVerification> {
  let hints: string[];
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
    hints = keyidHints(raw);
  } catch {
    return refuse(400, 'bad_signature', 'the batch is not a DSSE signature envelope');
  }
  const candidates: KnownDevice[] = [];
  for (const hint of hints) {
    const d = await findByKeyId(hint);
    if (d) candidates.push(d);
  }
  if (candidates.length === 0) return refuse(403, 'unknown_key', 'the batch is signed by a key that is not enrolled here');
  let payload: Buffer;
  let device: KnownDevice;
  try {
    const verified = verifyEnvelopeJson(raw, BATCH_PAYLOAD_TYPE, candidates.map((c) => c.publicJwk));
    payload = verified.payload;
    device = candidates.find((c) => c.publicJwk.x === verified.signer.x)!;
  } catch (e) {
    if (e instanceof SignatureError) return refuse(400, 'bad_signature', `the batch signature does not verify: ${e.message}`);
    throw e;
  }
  if (device.revokedAt) return refuse(403, 'revoked', `device ${device.deviceId} was revoked at ${device.revokedAt}`);

  let batch: Batch;
  try {
    const parsed = Batch.safeParse(JSON.parse(payload.toString('utf8')));
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
      return refuse(400, 'invalid_batch', `the batch content is invalid: ${issues[0]!.path}: ${issues[0]!.message}`, issues);
    }
    batch = parsed.data;
  } catch {
    return refuse(400, 'invalid_batch', 'the batch payload is not JSON');
  }
  if (batch.deviceId !== device.deviceId) {
    return refuse(403, 'not_your_work', `the batch names device ${batch.deviceId} but is signed by device ${device.deviceId}`);
  }
  const records: VerifiedRecord[] = [];
  for (const [i, r] of batch.records.entries()) {
    if (r.record.deviceId !== device.deviceId) {
      return refuse(403, 'not_your_work', `records[${i}].record.deviceId is ${r.record.deviceId}, not the signing device ${device.deviceId}`);
    }
    if (r.type === 'annotation') {
      if (r.record.status !== 'submitted') return refuse(400, 'invalid_batch', `records[${i}].record.status must be "submitted"`);
      if (r.record.annotatorId !== device.userId) {
        return refuse(403, 'not_your_work', `records[${i}].record.annotatorId is not the user enrolled with device ${device.deviceId}`);
      }
      const a = r.record;
      records.push({ id: a.id, kind: 'annotation', authorId: a.annotatorId, authorName: a.annotatorName, bundleId: a.bundleId, bundleVersion: a.bundleVersion, taskId: a.taskId, position: i });
    } else {
      if (r.record.reviewerId !== device.userId) {
        return refuse(403, 'not_your_work', `records[${i}].record.reviewerId is not the user enrolled with device ${device.deviceId}`);
      }
      const a = r.record;
      records.push({ id: a.id, kind: 'adjudication', authorId: a.reviewerId, authorName: a.reviewerName, bundleId: a.bundleId, bundleVersion: a.bundleVersion, taskId: a.taskId, position: i });
    }
  }
  return { ok: true, device, batch, hash: sha256Hex(bytes), records };
}
