import { z } from 'zod';

/** Ed25519 public keys travel as JWK (RFC 8037). Here, not in shared/node, because formats that embed a key are documented and checked everywhere. */
export const PublicJwk = z.strictObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'x must be 32 bytes, base64url without padding'),
});
export type PublicJwk = z.infer<typeof PublicJwk>;
