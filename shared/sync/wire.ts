import { z } from 'zod';
import { Id, IsoTime, Role, Sha256Hex } from '../domain/common.ts';
import { PublicJwk } from '../domain/jwk.ts';

/**
 * The sync server's HTTP API: every request and response body, parsed by the server
 * (server/routes.ts registers routes against them) and by the workstation's sync client
 * (electron/core/sync/*), which parses every reply with them instead of trusting its shape.
 * The signed payloads that travel inside these bodies (batches, receipts, enrolment
 * statements) are file formats and live in shared/domain.
 *
 * Replies are plain objects (unknown members ignored) so that a newer server can add a field
 * without breaking an older workstation; requests are strict.
 */

export const Health = z.object({ ok: z.literal(true), version: z.string(), serverKeyId: z.string() });
export type Health = z.infer<typeof Health>;

export const EnrolRequest = z.strictObject({
  publicKey: PublicJwk,
  /** DSSE envelope (ENROL_PAYLOAD_TYPE) over an EnrolStatement, signed by publicKey: a few hundred bytes. */
  proof: z.string().min(1).max(16 * 1024),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

/** Whom an enrolment token enrols: fixed by the admin who issues it, never by the device. */
export const TokenBinding = z.object({
  /** The user's id; the same for every device of one person (it is the author id of their records). */
  userId: z.uuid(),
  displayName: z.string().trim().min(1).max(120),
  role: Role,
});
export type TokenBinding = z.infer<typeof TokenBinding>;

export const EnrolResponse = z.object({
  deviceId: z.string(),
  serverPublicKey: PublicJwk,
  /** The last seq the server holds for this device (0 for a new device). */
  lastSeq: z.number().int().min(0),
  /** Whom the device is now enrolled for (the token's binding): the workstation adopts it. */
  ...TokenBinding.shape,
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
  'role_forbidden',
  'conflict',
  'chain_mismatch',
  'gap',
  'record_clash',
  'token_invalid',
  'token_mismatch',
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

export const TokenRequest = z.strictObject({
  ...TokenBinding.shape,
  label: z.string().max(200).default(''),
  ttlHours: z.number().int().min(1).max(24 * 90).default(24 * 7),
});
export const TokenResponse = z.object({ token: z.string(), expiresAt: z.string(), ...TokenBinding.shape });

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

export const DeviceParams = z.strictObject({ deviceId: z.string().min(1).max(128) });
export const Revoked = z.object({ revoked: z.boolean() });

/** A refused conflicting batch as the server keeps it: hashes and size, not the batch (at most 100 per device). */
export const ConflictView = z.object({
  deviceId: z.string(),
  seq: z.number().int(),
  reason: z.string(),
  existingHash: z.string().nullable(),
  offeredHash: z.string(),
  /** Bytes of the refused envelope; only its first 4 KiB are kept. */
  offeredSize: z.number().int().nullable(),
  at: z.string(),
});
export type ConflictView = z.infer<typeof ConflictView>;

export const ProgressRow = z.object({
  annotatorId: z.string(),
  annotatorName: z.string(),
  bundleId: Id,
  annotations: z.number().int(),
  adjudications: z.number().int(),
  lastAcceptedAt: IsoTime.nullable(),
});
export type ProgressRow = z.infer<typeof ProgressRow>;

export const ExportQuery = z.strictObject({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(10_000).default(1000) });
export const ExportLine = z.object({ cursor: z.number().int(), kind: z.string(), deviceId: z.string(), acceptedAt: z.string(), record: z.unknown() });

export const BundleParams = z.strictObject({ bundleId: z.string().min(1).max(128), version: z.coerce.number().int().min(1) });
export const BundleListing = z.object({ bundleId: Id, version: z.number().int(), sha256: Sha256Hex, size: z.number().int(), uploadedAt: IsoTime });
export type BundleListing = z.infer<typeof BundleListing>;
export const BundleStored = z.object({ status: z.enum(['stored', 'exists']) });

/** What a reviewer's workstation learns about another device: enough to verify its batches itself. */
export const ReviewDevice = z.object({
  deviceId: z.string(),
  publicKey: PublicJwk,
  userId: z.string(),
  displayName: z.string(),
  role: Role,
  revokedAt: z.string().nullable(),
  lastSeq: z.number().int(),
});
export type ReviewDevice = z.infer<typeof ReviewDevice>;

export const ReviewBatchesQuery = z.strictObject({
  deviceId: z.string().min(1).max(128),
  afterSeq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
/** envelope is the batch file's exact text (UTF-8 JSON), carried as a JSON string. */
export const ReviewBatches = z.object({ batches: z.array(z.object({ deviceId: z.string(), seq: z.number().int(), envelope: z.string() })) });
export type ReviewBatches = z.infer<typeof ReviewBatches>;
