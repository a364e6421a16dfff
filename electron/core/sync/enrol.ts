import type { Database } from 'better-sqlite3';
import { ApiError, type IdentityView } from '../../../shared/contract/index.ts';
import { ENROL_PAYLOAD_TYPE, type EnrolStatement } from '../../../shared/domain/index.ts';
import { EnrolResponse, SyncErrorBody } from '../../../shared/sync/wire.ts';
import { signEnvelope } from '../../../shared/node/dsse.ts';
import { PublicJwk, toPublic, type PrivateJwk } from '../../../shared/node/keys.ts';
import { defaultFetch, networkMessage, type FetchFn } from './http.ts';

export interface Enrolment {
  serverUrl: string;
  serverPublicKey: PublicJwk;
  enrolledAt: string;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastAttemptAt: string | null;
}

export function normaliseServerUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ApiError('invalid_request', `"${raw}" is not a server address; expected something like https://casebook.example.org`, [{ path: 'serverUrl', message: 'not a URL' }]);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ApiError('invalid_request', 'the server address must start with https:// (or http:// on a trusted network)', [{ path: 'serverUrl', message: 'unsupported scheme' }]);
  return u.origin + u.pathname.replace(/\/+$/, '');
}

export function getEnrolment(db: Database): Enrolment | null {
  const r = db.prepare('SELECT * FROM sync_enrolment WHERE id = 1').get() as
    | { server_url: string; server_public_jwk: string; enrolled_at: string; last_success_at: string | null; last_error: string | null; last_attempt_at: string | null }
    | undefined;
  if (!r) return null;
  return {
    serverUrl: r.server_url,
    serverPublicKey: PublicJwk.parse(JSON.parse(r.server_public_jwk)),
    enrolledAt: r.enrolled_at,
    lastSuccessAt: r.last_success_at,
    lastError: r.last_error,
    lastAttemptAt: r.last_attempt_at,
  };
}

/**
 * Asks the server to register this device's public key, proving possession of the private key
 * by signing a statement that binds the one-time token to the device id. The token decides
 * whom the device is enrolled for and in which role; the answer says so. `claimUser` is set when
 * this workstation already holds its user's work: the server then refuses a token issued for
 * anyone else instead of enrolling this device for them. Network only: the caller stores the result.
 */
export async function requestEnrolment(
  serverUrl: string,
  token: string,
  who: IdentityView,
  key: PrivateJwk,
  fetchFn: FetchFn = defaultFetch,
  claimUser?: string,
): Promise<EnrolResponse> {
  const statement: EnrolStatement = { token, deviceId: who.deviceId, ...(claimUser ? { userId: claimUser } : {}) };
  const proof = JSON.stringify(signEnvelope(ENROL_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement), 'utf8'), key));
  let res;
  try {
    res = await fetchFn(`${serverUrl}/v1/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ publicKey: toPublic(key), proof }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (e) {
    throw new ApiError('refused', networkMessage(serverUrl, e));
  }
  const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError('refused', `The server at ${serverUrl} answered with something that is not Casebook (HTTP ${res.status}).`);
  }
  if (res.status !== 200) {
    const body = SyncErrorBody.safeParse(json);
    throw new ApiError('refused', `The server refused enrolment: ${body.success ? body.data.error.message : `HTTP ${res.status}`}`, [{ path: 'token', message: body.success ? body.data.error.code : 'refused' }]);
  }
  const parsed = EnrolResponse.safeParse(json);
  if (!parsed.success || parsed.data.deviceId !== who.deviceId) {
    const older = typeof json === 'object' && json !== null && 'serverPublicKey' in json && !('role' in json);
    throw new ApiError(
      'refused',
      older
        ? `The server at ${serverUrl} is an older Casebook that does not bind users and roles to enrolment tokens; update the server first.`
        : `The server at ${serverUrl} gave an unexpected enrolment answer.`,
    );
  }
  return parsed.data;
}

/** Whether this workstation has made work of its own (a draft, or anything queued for sync). */
export function holdsOwnWork(db: Database, userId: string): boolean {
  return db.prepare('SELECT 1 FROM annotations WHERE annotator_id = ? UNION ALL SELECT 1 FROM outbox LIMIT 1').get(userId) !== undefined;
}

/**
 * Once enrolled, the workstation is who the server enrolled it for: its user id, name and role
 * become the token's (the same user id when it already held work, as the server checked).
 */
export function adoptBinding(db: Database, binding: Pick<EnrolResponse, 'userId' | 'displayName' | 'role'>): void {
  db.prepare('UPDATE identity SET user_id = ?, display_name = ?, role = ? WHERE id = 1').run(binding.userId, binding.displayName, binding.role);
}

export function storeEnrolment(db: Database, serverUrl: string, serverKey: PublicJwk, at: string): void {
  db.prepare(
    `INSERT INTO sync_enrolment (id, server_url, server_public_jwk, enrolled_at) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url, server_public_jwk = excluded.server_public_jwk,
       enrolled_at = excluded.enrolled_at, last_error = NULL`,
  ).run(serverUrl, JSON.stringify(serverKey), at);
}
