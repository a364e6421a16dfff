import { sign as edSign, verify as edVerify } from 'node:crypto';
import { z } from 'zod';
import { BATCH_PAYLOAD_TYPE, ENROL_PAYLOAD_TYPE, MANIFEST_PAYLOAD_TYPE, RECEIPT_PAYLOAD_TYPE, ROTATION_PAYLOAD_TYPE } from '../domain/index.ts';
import { keyId, privateKeyObject, publicKeyObject, toPublic, type PrivateJwk, type PublicJwk } from './keys.ts';

/**
 * A DSSE envelope (github.com/secure-systems-lab/dsse), JSON-serialised. `keyid` is optional in
 * DSSE; here a signature without one is skipped (it names no key), not refused outright.
 */
export const Envelope = z.strictObject({
  payloadType: z.string().min(1),
  payload: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'payload must be standard base64'),
  signatures: z
    .array(z.strictObject({ keyid: z.string().optional(), sig: z.string().min(1) }))
    .min(1, 'the envelope carries no signature'),
});
export type Envelope = z.infer<typeof Envelope>;

/**
 * How many signatures an envelope of each type may carry; more is refused before any is
 * looked at. A batch, a receipt and an enrolment proof have exactly one signer; a manifest or a
 * key rotation statement a few (a rotation is signed by the old and the new key). A type not
 * listed may carry one.
 */
export const MAX_SIGNATURES: Readonly<Record<string, number>> = {
  [BATCH_PAYLOAD_TYPE]: 1,
  [RECEIPT_PAYLOAD_TYPE]: 1,
  [ENROL_PAYLOAD_TYPE]: 1,
  [MANIFEST_PAYLOAD_TYPE]: 4,
  [ROTATION_PAYLOAD_TYPE]: 4,
};
export const maxSignaturesFor = (payloadType: string): number => MAX_SIGNATURES[payloadType] ?? 1;

/** Pre-authentication encoding: what is actually signed. Binds the payload type to the bytes. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}

/** Signs with `keyid` = the RFC 7638 thumbprint of the signing key, as the verification rule requires. */
export function signEnvelope(payloadType: string, payload: Uint8Array, key: PrivateJwk): Envelope {
  const sig = edSign(null, pae(payloadType, payload), privateKeyObject(key));
  return {
    payloadType,
    payload: Buffer.from(payload).toString('base64'),
    signatures: [{ keyid: keyId(toPublic(key)), sig: sig.toString('base64') }],
  };
}

/**
 * Why an envelope was refused; the message says the same in words.
 * - `envelope_malformed`: not JSON, not a DSSE envelope, or a payload that is not canonical base64;
 * - `payload_type_mismatch`: another payload type than the one expected (a batch cannot pose as a manifest);
 * - `too_many_signatures`: more signatures than the type's cap (MAX_SIGNATURES), refused before any verification;
 * - `no_trusted_keyid`: no signature's keyid names a trusted key (a missing keyid names none);
 * - `signature_invalid`: a signature names a trusted key but does not verify under it (or is not canonical base64).
 */
export const SIGNATURE_REFUSALS = ['envelope_malformed', 'payload_type_mismatch', 'too_many_signatures', 'no_trusted_keyid', 'signature_invalid'] as const;
export type SignatureRefusal = (typeof SIGNATURE_REFUSALS)[number];

/** An envelope or a signed statement refused; `code` is set when the DSSE rule itself refused it. */
export class SignatureError extends Error {
  override name = 'SignatureError';
  constructor(
    message: string,
    readonly code: SignatureRefusal | null = null,
  ) {
    super(message);
  }
}

export interface VerifiedEnvelope {
  payload: Buffer;
  payloadType: string;
  /** The trusted key that verified: the one the signature's keyid named. */
  signer: PublicJwk;
}

/**
 * Verifies an envelope's bytes against a set of trusted keys before anything in the payload
 * is parsed (the rule is verifyEnvelopeJson's).
 */
export function verifyEnvelope(bytes: Uint8Array | string, expectedType: string, trusted: readonly PublicJwk[]): VerifiedEnvelope {
  return verifyEnvelopeJson(parseEnvelopeJson(bytes), expectedType, trusted);
}

export function parseEnvelopeJson(bytes: Uint8Array | string): unknown {
  try {
    return JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new SignatureError('the signature envelope is not valid JSON', 'envelope_malformed');
  }
}

/** The signature list, refused when it is longer than the type's cap: counted, never looked into. */
function cappedSignatures(raw: unknown, expectedType: string): void {
  const sigs = (raw as { signatures?: unknown } | null)?.signatures;
  const cap = maxSignaturesFor(expectedType);
  if (Array.isArray(sigs) && sigs.length > cap) {
    throw new SignatureError(`the envelope carries ${sigs.length} signatures; ${expectedType} allows at most ${cap}`, 'too_many_signatures');
  }
}

function parseEnvelope(raw: unknown, expectedType: string): Envelope {
  cappedSignatures(raw, expectedType);
  const parsed = Envelope.safeParse(raw);
  if (!parsed.success) throw new SignatureError(`the signature envelope is malformed: ${parsed.error.issues[0]?.message ?? 'unknown'}`, 'envelope_malformed');
  if (parsed.data.payloadType !== expectedType) {
    throw new SignatureError(`unexpected payload type "${parsed.data.payloadType}" (expected "${expectedType}")`, 'payload_type_mismatch');
  }
  return parsed.data;
}

/**
 * The distinct key ids an envelope's signatures name, after the signature cap: a verifier that
 * looks keys up by id (the sync server's enrolled devices) asks only for these.
 */
export function signatureKeyIds(raw: unknown, expectedType: string): string[] {
  return [...new Set(parseEnvelope(raw, expectedType).signatures.flatMap((s) => (s.keyid === undefined ? [] : [s.keyid])))];
}

/**
 * The one verification rule, for bundles, batches, receipts, enrolment proofs and rotation
 * statements alike, on a caller's already-parsed envelope JSON:
 * - more signatures than the type's cap (MAX_SIGNATURES) is refused before any verification;
 * - every signature's keyid must be the RFC 7638 thumbprint of its signing key; the keyid only
 *   selects the candidate among keys already trusted (it never makes a key trusted), and a
 *   signature whose keyid is missing or names no trusted key is skipped;
 * - each signature is tried against the one key it names, never against every key;
 * - the envelope is accepted if one signature verifies, over the DSSE PAE of the exact payload
 *   bytes, under a trusted key. Payload and signatures must be canonical base64.
 * Work is bounded: at most `cap` Ed25519 verifications per envelope, whatever it holds.
 */
export function verifyEnvelopeJson(raw: unknown, expectedType: string, trusted: readonly PublicJwk[]): VerifiedEnvelope {
  const env = parseEnvelope(raw, expectedType);
  const payload = Buffer.from(env.payload, 'base64');
  if (payload.toString('base64') !== env.payload) throw new SignatureError('the payload is not canonical base64', 'envelope_malformed');
  const byKeyId = new Map(trusted.map((k) => [keyId(k), k]));
  const message = pae(env.payloadType, payload);
  let named = 0;
  for (const s of env.signatures) {
    const key = s.keyid === undefined ? undefined : byKeyId.get(s.keyid);
    if (!key) continue;
    named++;
    const sig = Buffer.from(s.sig, 'base64');
    // Only canonical base64: otherwise one signature has several spellings, and a batch file
    // with a flipped padding bit would verify while its bytes (and hash) differ.
    if (sig.length !== 64 || sig.toString('base64') !== s.sig) continue;
    if (edVerify(null, message, publicKeyObject(key), sig)) return { payload, payloadType: env.payloadType, signer: key };
  }
  if (named === 0) {
    throw new SignatureError('no signature verifies under a trusted key: no signature names a trusted key by its keyid (the signer is not trusted here)', 'no_trusted_keyid');
  }
  throw new SignatureError('no signature verifies under a trusted key: the signature naming a trusted key does not verify (the content or the signature was altered)', 'signature_invalid');
}
