import { RECEIPT_FORMAT, RECEIPT_PAYLOAD_TYPE, type Receipt } from '../shared/domain/index.ts';
import type { SyncErrorCode } from '../shared/sync/wire.ts';
import { verifyBatchBytes } from '../shared/node/batch-verify.ts';
import { signEnvelope } from '../shared/node/dsse.ts';
import type { PrivateJwk } from '../shared/node/keys.ts';
import type { AcceptOutcome, SyncStorage } from './storage/types.ts';

export type AcceptResult =
  | { ok: true; duplicate: boolean; receipt: Buffer; deviceId: string; seq: number }
  | { ok: false; status: number; code: SyncErrorCode; message: string; expectedSeq?: number; issues?: { path: string; message: string }[] };

function refuse(status: number, code: SyncErrorCode, message: string, extra: { expectedSeq?: number; issues?: { path: string; message: string }[] } = {}): AcceptResult {
  return { ok: false, status, code, message, ...extra };
}

/**
 * Verifies (shared/node/batch-verify.ts: signature over the exact bytes first, then content and
 * authorship) and applies one batch: the same path serves HTTP pushes and batch files carried
 * by hand.
 */
export async function acceptBatchBytes(storage: SyncStorage, serverKey: PrivateJwk, bytes: Buffer, now: () => Date): Promise<AcceptResult> {
  const v = await verifyBatchBytes(bytes, (keyId) => storage.findDeviceByKeyId(keyId));
  if (!v.ok) return refuse(v.status, v.code, v.message, v.issues ? { issues: v.issues } : {});
  const { device, batch, records, hash } = v;
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

export function makeReceipt(serverKey: PrivateJwk, receipt: Receipt): Buffer {
  return Buffer.from(JSON.stringify(signEnvelope(RECEIPT_PAYLOAD_TYPE, Buffer.from(JSON.stringify(receipt), 'utf8'), serverKey)), 'utf8');
}

