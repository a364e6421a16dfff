import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { PublicJwk } from '../domain/jwk.ts';

/** Ed25519 keys travel as JWK (RFC 8037); the public shape is a documented format (shared/domain). */
export { PublicJwk };

export const PrivateJwk = PublicJwk.extend({
  d: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'd must be 32 bytes, base64url without padding'),
});
export type PrivateJwk = z.infer<typeof PrivateJwk>;

/** A JWK file may carry a human label; it is ignored for cryptography. */
export const LabelledPublicJwk = PublicJwk.extend({ label: z.string().optional() });
export const LabelledPrivateJwk = PrivateJwk.extend({ label: z.string().optional() });

export function generateKeyPair(): { privateJwk: PrivateJwk; publicJwk: PublicJwk } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const privateJwk = PrivateJwk.parse({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d });
  return { privateJwk, publicJwk: toPublic(privateJwk) };
}

export function toPublic(jwk: PublicJwk | PrivateJwk): PublicJwk {
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
}

export function privateKeyObject(jwk: PrivateJwk): KeyObject {
  const key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, format: 'jwk' });
  // A JWK whose x does not belong to d would sign with one key and claim another.
  const derived = createPublicKey(key).export({ format: 'jwk' });
  if (derived.x !== jwk.x) throw new Error('private key JWK: "x" does not match "d"');
  return key;
}

export function publicKeyObject(jwk: PublicJwk): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
}

/** RFC 7638 thumbprint (SHA-256 over the canonical required members), base64url: the key id. */
export function keyId(jwk: PublicJwk): string {
  const canonical = `{"crv":"Ed25519","kty":"OKP","x":"${jwk.x}"}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * A fingerprint people can read aloud over the phone: the first 20 bytes of the thumbprint
 * as ten groups of four hex digits.
 */
export function fingerprint(jwk: PublicJwk): string {
  return fingerprintOfKeyId(keyId(jwk));
}

/** The same fingerprint from a key id alone: for keys the store no longer holds (rotated out). */
export function fingerprintOfKeyId(id: string): string {
  const hex = Buffer.from(id, 'base64url').subarray(0, 20).toString('hex');
  return hex.match(/.{4}/g)!.join(' ');
}
