import { ENROL_PAYLOAD_TYPE, EnrolStatement } from '../domain/index.ts';
import type { EnrolRequest, SyncErrorCode } from '../sync/wire.ts';
import { SignatureError, verifyEnvelope } from './dsse.ts';

export type EnrolProofCheck =
  | { ok: true; statement: EnrolStatement }
  | { ok: false; status: 400; code: Extract<SyncErrorCode, 'bad_signature' | 'invalid_request'>; message: string; issues?: { path: string; message: string }[] };

/**
 * The enrolment proof's own rule, before any token is looked at: `proof` is the JSON text of a
 * DSSE envelope (ENROL_PAYLOAD_TYPE) signed by `publicKey` itself, and its payload is an
 * EnrolStatement. A signature problem is `bad_signature`; a statement that verifies but breaks
 * the schema is `invalid_request`, naming the field (`proof.payload.deviceId`). Whether the
 * token is valid and grants what the statement claims is the storage's decision (planEnrolment).
 */
export function checkEnrolProof(body: EnrolRequest): EnrolProofCheck {
  let payload: Buffer;
  try {
    payload = verifyEnvelope(body.proof, ENROL_PAYLOAD_TYPE, [body.publicKey]).payload;
  } catch (e) {
    if (e instanceof SignatureError) return { ok: false, status: 400, code: 'bad_signature', message: `enrolment proof: ${e.message}` };
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, status: 400, code: 'invalid_request', message: 'proof.payload: the signed statement is not JSON' };
  }
  const parsed = EnrolStatement.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: ['proof', 'payload', ...i.path.map(String)].join('.'), message: i.message }));
    return { ok: false, status: 400, code: 'invalid_request', message: `${issues[0]!.path}: ${issues[0]!.message}`, issues };
  }
  return { ok: true, statement: parsed.data };
}
