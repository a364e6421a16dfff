import { z } from 'zod';
import { IsoTime, Role, Sha256Hex } from './common.ts';

/**
 * The signed statements of sync (receipts, enrolment proofs) and the media types they travel
 * under. Batches are in batch.ts; the HTTP request and response bodies are in shared/sync/wire.ts.
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

/**
 * The statement a device signs when it enrols: binds the one-time token to its key and id.
 * Who the device belongs to and in which role is the token's, not the device's: the admin bound
 * them when issuing it. The optional members are claims the device may make (older workstations
 * always sent all three; a workstation holding its own work sends its user id): each must be
 * what the token grants, or enrolment is refused without using the token up.
 */
export const EnrolStatement = z.strictObject({
  token: z.string().min(16).max(200),
  /**
   * Picked by the device; Casebook workstations use `dev_` + the first 22 characters of their
   * key id. Letters, digits, `_` and `-` only: it names batch files (`<deviceId>-<seq>.cbatch`).
   */
  deviceId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'deviceId must be 1 to 128 letters, digits, "_" or "-"'),
  userId: z.uuid().optional(),
  displayName: z.string().min(1).max(120).optional(),
  role: Role.optional(),
});
export type EnrolStatement = z.infer<typeof EnrolStatement>;
