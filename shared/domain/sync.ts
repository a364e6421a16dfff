import { z } from 'zod';
import { Id, IsoTime, Role, Sha256Hex } from './common.ts';

/**
 * The wire protocol between a workstation and the sync server, shared so both sides parse
 * exactly the same shapes. Batches themselves are in batch.ts.
 */

export const RECEIPT_FORMAT = 'casebook.receipt/1';
export const RECEIPT_PAYLOAD_TYPE = 'application/vnd.casebook.receipt+json';
/** What a device signs at enrolment to prove it holds the private key it registers. */
export const ENROL_PAYLOAD_TYPE = 'application/vnd.casebook.enrol+json';
/** Media type of a batch file / request body: the DSSE envelope JSON, byte for byte. */
export const BATCH_MEDIA_TYPE = 'application/vnd.casebook.batch+json';
/** Batch files on a USB stick: `<deviceId>-<seq padded>.cbatch`. */
export const BATCH_FILE_EXTENSION = '.cbatch';

/** Signed by the server after the durable commit; names what was accepted, by the server's clock. */
export const Receipt = z.strictObject({
  format: z.literal(RECEIPT_FORMAT),
  deviceId: z.string().min(1),
  seq: z.number().int().min(1),
  batchHash: Sha256Hex,
  recordCount: z.number().int().min(1),
  acceptedAt: IsoTime,
});
export type Receipt = z.infer<typeof Receipt>;

const Jwk = z.strictObject({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

/** The statement a device signs when it enrols: binds the one-time token to its key and id. */
export const EnrolStatement = z.strictObject({
  token: z.string().min(16),
  deviceId: z.string().min(1).max(128),
  userId: z.uuid(),
  displayName: z.string().min(1).max(120),
  role: Role,
});
export type EnrolStatement = z.infer<typeof EnrolStatement>;

export const EnrolRequest = z.strictObject({
  publicKey: Jwk,
  /** DSSE envelope (ENROL_PAYLOAD_TYPE) over an EnrolStatement, signed by publicKey. */
  proof: z.string().min(1),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

export const EnrolResponse = z.strictObject({
  deviceId: z.string(),
  serverPublicKey: Jwk,
  /** The last seq the server holds for this device (0 for a new device). */
  lastSeq: z.number().int().min(0),
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;

/** Why the server refused something. `gap` carries expectedSeq so the client can resend. */
export const SyncErrorCode = z.enum([
  'invalid_request',
  'bad_signature',
  'unknown_key',
  'revoked',
  'invalid_batch',
  'not_your_work',
  'conflict',
  'chain_mismatch',
  'gap',
  'record_clash',
  'token_invalid',
  'device_exists',
  'unauthorized',
  'not_found',
  'too_large',
  'rate_limited',
  'internal',
]);
export type SyncErrorCode = z.infer<typeof SyncErrorCode>;

export const SyncErrorBody = z.object({
  error: z.object({
    code: SyncErrorCode,
    message: z.string(),
    expectedSeq: z.number().int().optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type SyncErrorBody = z.infer<typeof SyncErrorBody>;

export const DeviceView = z.object({
  deviceId: z.string(),
  keyId: z.string(),
  userId: z.string(),
  displayName: z.string(),
  role: Role,
  enrolledAt: IsoTime,
  revokedAt: IsoTime.nullable(),
  lastSeq: z.number().int(),
});
export type DeviceView = z.infer<typeof DeviceView>;

export const ProgressRow = z.object({
  annotatorId: z.string(),
  annotatorName: z.string(),
  bundleId: Id,
  annotations: z.number().int(),
  adjudications: z.number().int(),
  lastAcceptedAt: IsoTime.nullable(),
});
export type ProgressRow = z.infer<typeof ProgressRow>;

export const BundleListing = z.object({ bundleId: Id, version: z.number().int(), sha256: Sha256Hex, size: z.number().int(), uploadedAt: IsoTime });
export type BundleListing = z.infer<typeof BundleListing>;
