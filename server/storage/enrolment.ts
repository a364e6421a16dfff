import type { DeviceRow } from './rows.ts';
import type { EnrolOutcome, NewDevice, TokenBinding } from './types.ts';

/** An `enrol_tokens` row as both backends store it. */
export interface TokenRow {
  expires_at: string;
  used_at: string | null;
  user_id: string | null;
  display_name: string | null;
  role: TokenBinding['role'] | null;
}

export type EnrolPlan =
  | { kind: 'refuse'; outcome: EnrolOutcome }
  /** A new device: insert it bound to the token's user and role. */
  | { kind: 'insert'; binding: TokenBinding }
  /** The same device and key again (a re-enrolment): same user, the token's name and role. */
  | { kind: 'rebind'; binding: TokenBinding; lastSeq: number };

const CLAIMS: readonly (keyof TokenBinding)[] = ['userId', 'displayName', 'role'];

/**
 * The enrolment rule, decided once for both storages inside their transaction: the token must
 * be known, unused, unexpired and bound to a user; whatever the device claims must be what the
 * token grants; a device id or key already enrolled may enrol again only as itself, for the
 * same user.
 */
export function planEnrolment(t: TokenRow | undefined, existing: DeviceRow | undefined, d: NewDevice, claims: Partial<TokenBinding>, now: string): EnrolPlan {
  const refuse = (outcome: EnrolOutcome): EnrolPlan => ({ kind: 'refuse', outcome });
  if (!t) return refuse({ kind: 'token_invalid', reason: 'this enrolment token is not known to the server' });
  if (t.used_at) return refuse({ kind: 'token_invalid', reason: 'this enrolment token has already been used' });
  if (t.expires_at <= now) return refuse({ kind: 'token_invalid', reason: 'this enrolment token has expired' });
  if (!t.user_id || !t.display_name || !t.role) {
    return refuse({ kind: 'token_invalid', reason: 'this enrolment token names no user and role (it was issued by an older server); ask your admin for a new one' });
  }
  const binding: TokenBinding = { userId: t.user_id, displayName: t.display_name, role: t.role };
  for (const k of CLAIMS) {
    const claimed = claims[k];
    if (claimed !== undefined && claimed !== binding[k]) {
      return refuse({
        kind: 'token_mismatch',
        reason: `this enrolment token is for ${binding.displayName} as ${binding.role} (user ${binding.userId}), but the device states ${k} "${claimed}"; ask your admin for a token issued for you`,
      });
    }
  }
  if (!existing) return { kind: 'insert', binding };
  if (existing.key_id !== d.keyId || existing.device_id !== d.deviceId || existing.revoked_at) {
    return refuse({ kind: 'device_exists', reason: `device ${d.deviceId} or its key is already enrolled differently, or revoked` });
  }
  if (existing.user_id !== binding.userId) {
    return refuse({ kind: 'device_exists', reason: `device ${d.deviceId} is enrolled for another user; a token for ${binding.displayName} cannot take it over` });
  }
  return { kind: 'rebind', binding, lastSeq: existing.last_seq };
}
