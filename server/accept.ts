import { z } from 'zod';
import { Batch, BATCH_PAYLOAD_TYPE, RECEIPT_FORMAT, RECEIPT_PAYLOAD_TYPE, type Receipt, type SyncErrorCode } from '../shared/domain/index.ts';
import { signEnvelope, verifyEnvelopeJson, SignatureError } from '../shared/node/dsse.ts';
import { sha256Hex } from '../shared/node/hash.ts';
import type { PrivateJwk } from '../shared/node/keys.ts';
import type { AcceptOutcome, RecordRow, SyncStorage } from './storage/types.ts';

export type AcceptResult =
  | { ok: true; duplicate: boolean; receipt: Buffer; deviceId: string; seq: number }
  | { ok: false; status: number; code: SyncErrorCode; message: string; expectedSeq?: number; issues?: { path: string; message: string }[] };

function refuse(status: number, code: SyncErrorCode, message: string, extra: { expectedSeq?: number; issues?: { path: string; message: string }[] } = {}): AcceptResult {
  return { ok: false, status, code, message, ...extra };
}

/**
 * Verifies and applies one batch, given its exact bytes: the same path serves HTTP pushes and
 * batch files carried by hand. Order matters: the signature is checked with the enrolled key
 * of the device the keyid points to (a hint only: the signature decides), before the payload
 * is parsed at all.
 */
export async function acceptBatchBytes(storage: SyncStorage, serverKey: PrivateJwk, bytes: Buffer, now: () => Date): Promise<AcceptResult> {
  // Only the keyid hints are read here, to find which enrolled keys to try; verifyEnvelope
  // then checks the whole envelope and the signature over the exact payload bytes.
  let hints: string[];
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
    hints = keyidHints(raw);
  } catch {
    return refuse(400, 'bad_signature', 'the batch is not a DSSE signature envelope');
  }
  const candidates = [];
  for (const hint of hints) {
    const d = await storage.findDeviceByKeyId(hint);
    if (d) candidates.push(d);
  }
  if (candidates.length === 0) return refuse(403, 'unknown_key', 'the batch is signed by a key that is not enrolled on this server');
  let payload: Buffer;
  let device = candidates[0]!;
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
      return refuse(400, 'invalid_batch', `the batch content is invalid: ${issues[0]!.path}: ${issues[0]!.message}`, { issues });
    }
    batch = parsed.data;
  } catch {
    return refuse(400, 'invalid_batch', 'the batch payload is not JSON');
  }
  // Nobody else's work passed off as this device's: the batch and every record must name it.
  if (batch.deviceId !== device.deviceId) {
    return refuse(403, 'not_your_work', `the batch names device ${batch.deviceId} but is signed by device ${device.deviceId}`);
  }
  const records: RecordRow[] = [];
  for (const [i, r] of batch.records.entries()) {
    if (r.record.deviceId !== device.deviceId) {
      return refuse(403, 'not_your_work', `records[${i}].record.deviceId is ${r.record.deviceId}, not the signing device ${device.deviceId}`);
    }
    if (r.type === 'annotation') {
      if (r.record.status !== 'submitted') return refuse(400, 'invalid_batch', `records[${i}].record.status must be "submitted"`);
      if (r.record.annotatorId !== device.userId) {
        return refuse(403, 'not_your_work', `records[${i}].record.annotatorId is not the user enrolled with device ${device.deviceId}`);
      }
      records.push({ id: r.record.id, kind: 'annotation', authorId: r.record.annotatorId, authorName: r.record.annotatorName, bundleId: r.record.bundleId, bundleVersion: r.record.bundleVersion, taskId: r.record.taskId, position: i });
    } else {
      if (r.record.reviewerId !== device.userId) {
        return refuse(403, 'not_your_work', `records[${i}].record.reviewerId is not the user enrolled with device ${device.deviceId}`);
      }
      records.push({ id: r.record.id, kind: 'adjudication', authorId: r.record.reviewerId, authorName: r.record.reviewerName, bundleId: r.record.bundleId, bundleVersion: r.record.bundleVersion, taskId: r.record.taskId, position: i });
    }
  }
  const hash = sha256Hex(bytes);
  const outcome: AcceptOutcome = await storage.acceptBatch({
    deviceId: device.deviceId,
    keyId: device.keyId,
    seq: batch.seq,
    prevHash: batch.prevHash,
    hash,
    envelope: bytes,
    records,
    now: now().toISOString(),
    receipt: (acceptedAt) => makeReceipt(serverKey, { format: RECEIPT_FORMAT, deviceId: device.deviceId, seq: batch.seq, batchHash: hash, recordCount: records.length, acceptedAt }),
  });
  switch (outcome.kind) {
    case 'accepted':
    case 'duplicate':
      return { ok: true, duplicate: outcome.kind === 'duplicate', receipt: outcome.receipt, deviceId: device.deviceId, seq: batch.seq };
    case 'conflict':
      return refuse(409, 'conflict', `batch ${batch.seq} of ${device.deviceId} was already accepted with different content (hash ${outcome.existingHash.slice(0, 12)}…); recorded as a conflict`);
    case 'chain_mismatch':
      return refuse(409, 'chain_mismatch', `batch ${batch.seq} does not follow the last accepted batch (its previous hash differs); recorded as a conflict`);
    case 'gap':
      return refuse(409, 'gap', `expected batch ${outcome.expectedSeq} of ${device.deviceId} next, got ${batch.seq}`, { expectedSeq: outcome.expectedSeq });
    case 'revoked':
      return refuse(403, 'revoked', `device ${device.deviceId} is revoked`);
    case 'record_clash':
      return refuse(409, 'record_clash', `record ${outcome.recordId} was already accepted in another batch`);
  }
}

function keyidHints(raw: unknown): string[] {
  const sigs = (raw as { signatures?: unknown } | null)?.signatures;
  if (!Array.isArray(sigs)) throw new Error('no signatures');
  return sigs.slice(0, 8).flatMap((s: unknown) => {
    const k = (s as { keyid?: unknown } | null)?.keyid;
    return typeof k === 'string' ? [k] : [];
  });
}

export function makeReceipt(serverKey: PrivateJwk, receipt: Receipt): Buffer {
  return Buffer.from(JSON.stringify(signEnvelope(RECEIPT_PAYLOAD_TYPE, Buffer.from(JSON.stringify(receipt), 'utf8'), serverKey)), 'utf8');
}

export const BatchList = z.object({ deviceId: z.string().optional(), afterSeq: z.coerce.number().int().min(0).optional() });
