import { ROTATION_FORMAT, ROTATION_PAYLOAD_TYPE, RotationStatement } from '../domain/key-rotation.ts';
import { Envelope, signEnvelope, SignatureError, verifyEnvelope } from './dsse.ts';
import { keyId, PublicJwk, toPublic, type PrivateJwk } from './keys.ts';

export { ROTATION_FORMAT, ROTATION_PAYLOAD_TYPE, RotationStatement };

export function signRotation(oldKey: PrivateJwk, newKey: PrivateJwk, newLabel: string, now: Date = new Date()): Envelope {
  const statement: RotationStatement = {
    format: ROTATION_FORMAT,
    oldKeyId: keyId(toPublic(oldKey)),
    newKey: toPublic(newKey),
    newLabel,
    createdAt: now.toISOString(),
  };
  const payload = Buffer.from(JSON.stringify(statement));
  const byOld = signEnvelope(ROTATION_PAYLOAD_TYPE, payload, oldKey);
  const byNew = signEnvelope(ROTATION_PAYLOAD_TYPE, payload, newKey);
  return { ...byOld, signatures: [...byOld.signatures, ...byNew.signatures] };
}

export interface VerifiedRotation {
  statement: RotationStatement;
  /** The trusted key that signed it: the one being rotated out. */
  oldKey: PublicJwk;
}

/**
 * Verifies a rotation statement against the currently trusted keys before reading it, then
 * checks that the statement names the key that signed it and that the new key signed too.
 */
export function verifyRotation(bytes: Uint8Array | string, trusted: readonly PublicJwk[]): VerifiedRotation {
  const verified = verifyEnvelope(bytes, ROTATION_PAYLOAD_TYPE, trusted);
  let raw: unknown;
  try {
    raw = JSON.parse(verified.payload.toString('utf8'));
  } catch {
    throw new SignatureError('the rotation statement is not valid JSON');
  }
  const parsed = RotationStatement.safeParse(raw);
  if (!parsed.success) throw new SignatureError(`the rotation statement is malformed: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  const statement = parsed.data;
  if (statement.oldKeyId !== keyId(verified.signer)) {
    throw new SignatureError('the rotation statement names a different old key than the one that signed it');
  }
  if (keyId(statement.newKey) === statement.oldKeyId) throw new SignatureError('the rotation statement rotates a key to itself');
  requireNewKeySignature(bytes, statement);
  return { statement, oldKey: verified.signer };
}

/** The successor must have signed the same statement: proof its holder agreed to take over. */
function requireNewKeySignature(bytes: Uint8Array | string, statement: RotationStatement): void {
  try {
    verifyEnvelope(bytes, ROTATION_PAYLOAD_TYPE, [statement.newKey]);
  } catch (e) {
    if (e instanceof SignatureError) throw new SignatureError('the rotation statement is not signed by the new key');
    throw e;
  }
}

/**
 * Reads a rotation statement without knowing the old key (the admin's side, before putting it
 * in a bundle): well-formed, and signed by the new key it names. Only a workstation that trusts
 * the old key can check the rest, and it does so with verifyRotation.
 */
export function readRotationForSigner(bytes: Uint8Array | string, signer: PublicJwk): RotationStatement {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new SignatureError('the rotation statement is not valid JSON');
  }
  const env = Envelope.safeParse(raw);
  if (!env.success) throw new SignatureError(`the rotation statement is not a signature envelope: ${env.error.issues[0]?.message ?? 'unknown'}`);
  if (env.data.payloadType !== ROTATION_PAYLOAD_TYPE) throw new SignatureError(`unexpected payload type "${env.data.payloadType}" (expected ${ROTATION_PAYLOAD_TYPE})`);
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(env.data.payload, 'base64').toString('utf8'));
  } catch {
    throw new SignatureError('the rotation statement payload is not valid JSON');
  }
  const parsed = RotationStatement.safeParse(payload);
  if (!parsed.success) throw new SignatureError(`the rotation statement is malformed: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  const statement = parsed.data;
  if (keyId(statement.newKey) !== keyId(signer)) throw new SignatureError('the rotation statement introduces a different key than the one signing this bundle');
  requireNewKeySignature(bytes, statement);
  return statement;
}
