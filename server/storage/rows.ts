import type { Role } from '../../shared/domain/index.ts';
import { PublicJwk } from '../../shared/node/keys.ts';
import type { ChainDecision } from '../../shared/sync/chain.ts';
import type { AcceptOutcome, ConflictRow, DeviceRecord } from './types.ts';

/** A `devices` row as both backends store it (same column names and types). */
export interface DeviceRow {
  device_id: string;
  key_id: string;
  public_jwk: string;
  user_id: string;
  display_name: string;
  role: Role;
  enrolled_at: string;
  revoked_at: string | null;
  last_seq: number;
  last_hash: string;
}

export function toDevice(r: DeviceRow): DeviceRecord {
  return {
    deviceId: r.device_id,
    keyId: r.key_id,
    publicJwk: PublicJwk.parse(JSON.parse(r.public_jwk)),
    userId: r.user_id,
    displayName: r.display_name,
    role: r.role,
    enrolledAt: r.enrolled_at,
    revokedAt: r.revoked_at,
    lastSeq: r.last_seq,
    lastHash: r.last_hash,
  };
}

/** A `conflicts` row as both backends read it (migration 003: a prefix and the size, not the batch). */
export interface ConflictDbRow {
  device_id: string;
  seq: number;
  reason: string;
  existing_hash: string | null;
  offered_hash: string;
  envelope_size: number | null;
  at: string;
}

export function toConflict(r: ConflictDbRow): ConflictRow {
  return { deviceId: r.device_id, seq: r.seq, reason: r.reason, existingHash: r.existing_hash, offeredHash: r.offered_hash, offeredSize: r.envelope_size, at: r.at };
}

/** What the server records as evidence for a refused batch; a gap is only a resend hint. */
export function conflictReason(d: Exclude<ChainDecision, { kind: 'accept' | 'duplicate' }>): string | null {
  switch (d.kind) {
    case 'conflict':
      return 'same seq, different bytes';
    case 'chain_mismatch':
      return 'previous hash does not match the last accepted batch';
    case 'gap':
      return null;
  }
}

/** Thrown inside an accept transaction to roll it back and report an outcome instead of an error. */
export class Refusal {
  constructor(readonly outcome: AcceptOutcome) {}
}
