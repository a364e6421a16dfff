import { Batch, BATCH_PAYLOAD_TYPE, REVIEWER_ROLES, type Role } from '../domain/index.ts';
import type { SyncErrorCode } from '../sync/wire.ts';
import { parseEnvelopeJson, SignatureError, signatureKeyIds, verifyEnvelopeJson } from './dsse.ts';
import { sha256Hex } from './hash.ts';
import type { PublicJwk } from './keys.ts';

/** A device as the verifier knows it: its key, the user and role it is enrolled for, whether it was revoked. */
export interface KnownDevice {
  deviceId: string;
  keyId: string;
  publicJwk: PublicJwk;
  userId: string;
  role: Role;
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

/**
 * The one rule for accepting a batch's bytes, on the server and on a reviewer's workstation.
 * The keyid only chooses which known key to try (dsse.ts); the signature over the exact payload
 * bytes decides, and only then is the payload parsed and validated. The batch and every record
 * must name the signing device, and every record its enrolled user (an annotation's annotatorId,
 * an adjudication's reviewerId): nobody else's work passes. Adjudications come only from devices
 * enrolled as reviewer or admin. User and role are the enrolment token's (server/storage/enrolment.ts).
 * Sequence and chain checks belong to the caller's store.
 */
export async function verifyBatchBytes(bytes: Buffer, findByKeyId: (keyId: string) => Promise<KnownDevice | null> | KnownDevice | null): Promise<BatchVerification> {
  let raw: unknown;
  let named: string[];
  try {
    raw = parseEnvelopeJson(bytes);
    // The keyid rule (dsse.ts): a batch has one signature, and its keyid only picks which
    // enrolled key to try; at most one lookup and one verification per batch, whatever it holds.
    named = signatureKeyIds(raw, BATCH_PAYLOAD_TYPE);
  } catch (e) {
    if (e instanceof SignatureError) return refuse(400, 'bad_signature', `the batch is refused: ${e.message}`);
    throw e;
  }
  const candidates: KnownDevice[] = [];
  for (const kid of named) {
    const d = await findByKeyId(kid);
    if (d) candidates.push(d);
  }
  if (candidates.length === 0) {
    return refuse(403, 'unknown_key', named.length === 0 ? "the batch's signature names no key (keyid missing)" : 'the batch is signed by a key that is not enrolled here');
  }
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
      if (r.record.annotatorId !== device.userId) {
        return refuse(403, 'not_your_work', `records[${i}].record.annotatorId is not the user enrolled with device ${device.deviceId}`);
      }
      const a = r.record;
      records.push({ id: a.id, kind: 'annotation', authorId: a.annotatorId, authorName: a.annotatorName, bundleId: a.bundleId, bundleVersion: a.bundleVersion, taskId: a.taskId, position: i });
    } else {
      if (!REVIEWER_ROLES.includes(device.role)) {
        return refuse(403, 'role_forbidden', `records[${i}] is an adjudication, but device ${device.deviceId} is enrolled as ${device.role}; only reviewers' and admins' devices may adjudicate`);
      }
      if (r.record.reviewerId !== device.userId) {
        return refuse(403, 'not_your_work', `records[${i}].record.reviewerId is not the user enrolled with device ${device.deviceId}`);
      }
      const a = r.record;
      records.push({ id: a.id, kind: 'adjudication', authorId: a.reviewerId, authorName: a.reviewerName, bundleId: a.bundleId, bundleVersion: a.bundleVersion, taskId: a.taskId, position: i });
    }
  }
  return { ok: true, device, batch, hash: sha256Hex(bytes), records };
}
