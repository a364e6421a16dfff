import type { VerifiedRecord } from '../../shared/node/batch-verify.ts';
import type { PublicJwk } from '../../shared/node/keys.ts';
import type { ServerMigration } from './migrations/index.ts';
import type { Role } from '../../shared/domain/index.ts';
import type { BundleListing, ConflictView, DeviceView, ProgressRow } from '../../shared/sync/wire.ts';

export interface AcceptInput {
  deviceId: string;
  keyId: string;
  seq: number;
  prevHash: string;
  /** SHA-256 of the exact envelope bytes. */
  hash: string;
  envelope: Buffer;
  /** Indexed as verified (shared/node/batch-verify.ts); bodies stay in the stored batch, at `position`. */
  records: VerifiedRecord[];
  /** Server clock, not the client's. */
  now: string;
  /** Makes the signed receipt bytes once the batch is known to be acceptable. */
  receipt: (acceptedAt: string) => Buffer;
}

export type AcceptOutcome =
  | { kind: 'accepted'; receipt: Buffer }
  | { kind: 'duplicate'; receipt: Buffer }
  | { kind: 'conflict'; existingHash: string }
  | { kind: 'gap'; expectedSeq: number }
  | { kind: 'chain_mismatch'; expectedPrevHash: string }
  | { kind: 'revoked' }
  | { kind: 'record_clash'; recordId: string };

/** Whom an enrolment token enrols, fixed by the admin when issuing it: the server's word, never the device's. */
export interface TokenBinding {
  userId: string;
  displayName: string;
  role: Role;
}

export interface NewDevice {
  deviceId: string;
  keyId: string;
  publicJwk: PublicJwk;
}

export type EnrolOutcome =
  | { kind: 'enrolled'; lastSeq: number; binding: TokenBinding }
  | { kind: 'token_invalid'; reason: string }
  /** The device stated a user, name or role the token does not grant; the token is not used up. */
  | { kind: 'token_mismatch'; reason: string }
  | { kind: 'device_exists'; reason: string };

export interface DeviceRecord extends DeviceView {
  publicJwk: PublicJwk;
  lastHash: string;
}

export type ConflictRow = ConflictView;

export interface StoredBatch {
  deviceId: string;
  seq: number;
  hash: string;
  envelope: Buffer;
  acceptedAt: string;
}

/**
 * Everything the server keeps. Two implementations (SQLite, PostgreSQL) pass the same test
 * suite. acceptBatch is the heart: one transaction that either applies a batch and its
 * records and receipt, or changes nothing except recording a conflict.
 */
export interface SyncStorage {
  readonly kind: 'sqlite' | 'postgres';
  /** Brings the schema up to date (SERVER_MIGRATIONS unless told otherwise); refuses a newer one. */
  migrate(migrations?: readonly ServerMigration[]): Promise<void>;
  close(): Promise<void>;

  getMeta(key: string): Promise<string | null>;
  /** Sets a value only if none exists; returns the value in force afterwards. */
  initMeta(key: string, value: string): Promise<string>;

  createEnrolToken(tokenHash: string, binding: TokenBinding, label: string, createdAt: string, expiresAt: string): Promise<void>;
  /**
   * Consumes the token and registers the device for the token's user and role, atomically: a
   * token is good exactly once. `claims` is what the device stated about itself, if anything;
   * each must equal the token's binding.
   */
  enrol(tokenHash: string, device: NewDevice, claims: Partial<TokenBinding>, now: string): Promise<EnrolOutcome>;
  findDeviceByKeyId(keyId: string): Promise<DeviceRecord | null>;
  findDevice(deviceId: string): Promise<DeviceRecord | null>;
  listDevices(): Promise<DeviceRecord[]>;
  revokeDevice(deviceId: string, now: string): Promise<boolean>;

  acceptBatch(input: AcceptInput): Promise<AcceptOutcome>;
  listConflicts(deviceId?: string): Promise<ConflictRow[]>;
  /** Accepted batches in (device, seq) order, for export and for reviewers. */
  listBatches(filter: { deviceId?: string; afterSeq?: number; limit: number }): Promise<StoredBatch[]>;
  /**
   * One device's accepted batches after a seq that hold an adjudication of a task `authorId`
   * annotated (any revision, any bundle version): what an author may read of a reviewer's chain.
   */
  listDecisionBatchesFor(filter: { deviceId: string; afterSeq: number; limit: number; authorId: string }): Promise<StoredBatch[]>;
  countRecords(): Promise<{ total: number; distinct: number }>;
  progress(): Promise<ProgressRow[]>;
  /** Records in acceptance order, for export; `after` is an opaque cursor. */
  exportRecords(after: number, limit: number): Promise<{ cursor: number; kind: string; deviceId: string; body: string; acceptedAt: string }[]>;

  putBundle(bundleId: string, version: number, sha256: string, bytes: Buffer, now: string): Promise<'stored' | 'exists' | 'refused'>;
  listBundles(): Promise<BundleListing[]>;
  getBundle(bundleId: string, version: number): Promise<Buffer | null>;
}
