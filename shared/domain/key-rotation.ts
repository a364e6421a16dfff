import { z } from 'zod';
import { IsoTime } from './common.ts';
import { PublicJwk } from './jwk.ts';

export const ROTATION_PAYLOAD_TYPE = 'application/vnd.casebook.key-rotation+json';
export const ROTATION_FORMAT = 'casebook.key-rotation/1';

/**
 * A key rotation statement: the old org key names its successor. It travels as a DSSE envelope
 * signed by BOTH keys — the old one authorises the change, the new one proves its holder
 * agreed (TUF's rule for root rotation, with a threshold of one). Signing and verifying are in
 * shared/node/rotation.ts.
 */
export const RotationStatement = z.strictObject({
  format: z.literal(ROTATION_FORMAT),
  /** Key id (RFC 7638 thumbprint) of the old key, which must be trusted where the statement is applied. */
  oldKeyId: z.string().min(1),
  newKey: PublicJwk,
  /** How workstations label the new key once they trust it. */
  newLabel: z.string().min(1).max(200),
  createdAt: IsoTime,
});
export type RotationStatement = z.infer<typeof RotationStatement>;
