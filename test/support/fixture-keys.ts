import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { PrivateJwk, toPublic, type PublicJwk } from '../../shared/node/keys.ts';

/**
 * Test-only Ed25519 keys derived from fixed seeds, so committed fixtures are reproducible and
 * no private key file needs to live in the repository. Never use these outside tests.
 */
export function fixtureKey(seed: string): { privateJwk: PrivateJwk; publicJwk: PublicJwk } {
  const d = createHash('sha256').update(`casebook test key: ${seed}`).digest();
  // PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): fixed 16-byte prefix + 32-byte seed.
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), d]);
  const priv = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const x = createPublicKey(priv).export({ format: 'jwk' }).x!;
  const privateJwk = PrivateJwk.parse({ kty: 'OKP', crv: 'Ed25519', x, d: d.toString('base64url') });
  return { privateJwk, publicJwk: toPublic(privateJwk) };
}

export const ORG_KEY = fixtureKey('org');
export const ROTATED_ORG_KEY = fixtureKey('org-rotated');
export const STRANGER_KEY = fixtureKey('stranger');
