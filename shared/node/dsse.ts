import { sign as edSign, verify as edVerify } from 'node:crypto';
import { z } from 'zod';
import { keyId, privateKeyObject, publicKeyObject, toPublic, type PrivateJwk, type PublicJwk } from './keys.ts';

/** A DSSE envelope (github.com/secure-systems-lab/dsse), JSON-serialised. */
export const Envelope = z.strictObject({
  payloadType: z.string().min(1),
  payload: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'payload must be standard base64'),
  signatures: z
    .array(z.strictObject({ keyid: z.string(), sig: z.string().min(1) }))
    .min(1, 'the envelope carries no signature'),
});
export type Envelope = z.infer<typeof Envelope>;

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

export function signEnvelope(payloadType: string, payload: Uint8Array, key: PrivateJwk): Envelope {
  const sig = edSign(null, pae(payloadType, payload), privateKeyObject(key));
  return {
    payloadType,
    payload: Buffer.from(payload).toString('base64'),
    signatures: [{ keyid: keyId(toPublic(key)), sig: sig.toString('base64') }],
  };
}

export class SignatureError extends Error {
  override name = 'SignatureError';
}

export interface VerifiedEnvelope {
  payload: Buffer;
  payloadType: string;
  /** The trusted key that verified; found by trying every candidate, never by trusting keyid. */
  signer: PublicJwk;
}

/**
 * Verifies an envelope's bytes against a set of trusted keys before anything in the payload
 * is parsed. The keyid is only a hint to try a key first; a signature counts only if it
 * verifies under one of `trusted`.
 */
export function verifyEnvelope(bytes: Uint8Array | string, expectedType: string, trusted: readonly PublicJwk[]): VerifiedEnvelope {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new SignatureError('the signature envelope is not valid JSON');
  }
  return verifyEnvelopeJson(raw, expectedType, trusted);
}

/**
 * The same rule for a caller that has already run JSON.parse on the exact envelope bytes (the
 * sync server reads the keyid hints first and must not parse a megabyte twice).
 */
export function verifyEnvelopeJson(raw: unknown, expectedType: string, trusted: readonly PublicJwk[]): VerifiedEnvelope {
  const parsed = Envelope.safeParse(raw);
  if (!parsed.success) throw new SignatureError(`the signature envelope is malformed: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  const env = parsed.data;
  if (env.payloadType !== expectedType) {
    throw new SignatureError(`unexpected payload type "${env.payloadType}" (expected "${expectedType}")`);
  }
  const payload = Buffer.from(env.payload, 'base64');
  if (payload.toString('base64') !== env.payload) throw new SignatureError('the payload is not canonical base64');
  const message = pae(env.payloadType, payload);
  for (const s of env.signatures) {
    const sig = Buffer.from(s.sig, 'base64');
    // Only canonical base64: otherwise one signature has several spellings, and a batch file
    // with a flipped padding bit would verify while its bytes (and hash) differ.
    if (sig.length !== 64 || sig.toString('base64') !== s.sig) continue;
    // Try the hinted key first, then every other trusted key: the hint decides nothing.
    const ordered = [...trusted].sort((a, b) => Number(keyId(b) === s.keyid) - Number(keyId(a) === s.keyid));
    for (const key of ordered) {
      if (edVerify(null, message, publicKeyObject(key), sig)) return { payload, payloadType: env.payloadType, signer: key };
    }
  }
  throw new SignatureError('no signature verifies under a trusted key');
}
