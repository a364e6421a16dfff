import { z } from 'zod';
import { Id, IsoTime, TaskKind } from '../domain/index.ts';

/** API shapes for trust management and bundle import/versions. */

const KeyX = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'x must be 32 bytes, base64url without padding');
export const PublicKeyInput = z.strictObject({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: KeyX });

export const TrustedKeyView = z.object({
  keyId: z.string(),
  /** Ten groups of four hex digits, to be read aloud and compared with the admin's. */
  fingerprint: z.string(),
  label: z.string(),
  /** Only bundles whose id starts with this are accepted from the key; null = any. */
  bundlePrefix: z.string().nullable(),
  addedAt: IsoTime,
  /** Key id of the old key whose signed rotation statement introduced this key. */
  endorsedBy: z.string().nullable(),
  /** The same old key's fingerprint, as people compare it. */
  endorsedByFingerprint: z.string().nullable(),
});
export type TrustedKeyView = z.infer<typeof TrustedKeyView>;

export const VersionChangesView = z.object({
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  /** Annotator × task pairs whose work was kept but flagged because the task's content changed. */
  flagged: z.number().int(),
});

export const ImportResultView = z.object({
  bundleId: Id,
  version: z.number().int(),
  taskCount: z.number().int(),
  outcome: z.enum(['imported', 'updated', 'unchanged']),
  changes: VersionChangesView.nullable(),
  /** Importing the installed version again put back this many damaged tasks (see `casebook doctor`). */
  repairedTasks: z.number().int().optional(),
});
export type ImportResultView = z.infer<typeof ImportResultView>;

export const BundleVersionView = VersionChangesView.extend({
  version: z.number().int(),
  manifestSha256: z.string(),
  signer: z.object({ keyId: z.string(), label: z.string() }),
  taskCount: z.number().int(),
  createdAt: IsoTime,
  importedAt: IsoTime,
});
export type BundleVersionView = z.infer<typeof BundleVersionView>;

/** An annotation kept across a bundle update whose task content changed: needs a second look. */
export const FlaggedAnnotationView = z.object({
  taskId: Id,
  fromVersion: z.number().int(),
  toVersion: z.number().int(),
  flaggedAt: IsoTime,
});
export type FlaggedAnnotationView = z.infer<typeof FlaggedAnnotationView>;

/** For reviewers: one annotator's work on one task, kept across content changes and not yet looked at again. */
export const ReviewFlaggedItem = z.object({
  bundleId: Id,
  bundleTitle: z.string(),
  taskId: Id,
  taskTitle: z.string(),
  kind: TaskKind,
  annotatorId: z.string(),
  /** From the annotator's latest revision; their id when the store has no name for them. */
  annotatorName: z.string(),
  /** The version the work was done against, and the latest version that changed the task since. */
  fromVersion: z.number().int(),
  toVersion: z.number().int(),
  flaggedAt: IsoTime,
  /** The task was dropped from the bundle after the work was done (kept because it was worked on). */
  retired: z.boolean(),
});
export type ReviewFlaggedItem = z.infer<typeof ReviewFlaggedItem>;

/** Where the admin screen's tasks come from: the folder's tasks.jsonl, or a JSONL/CSV file and a mapping file. */
export const TaskInputRequest = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('folder') }),
  z.strictObject({ from: z.enum(['jsonl', 'csv']), file: z.string().min(1).max(4096), mappingFile: z.string().min(1).max(4096) }),
]);

export const SourceRequest = z.strictObject({
  /** Folder with bundle.json, guidelines.md, rubric.json and taxonomy.json (and tasks.jsonl). */
  sourceDir: z.string().min(1).max(4096),
  tasks: TaskInputRequest.default({ from: 'folder' }),
});

export const ProblemView = z.object({
  file: z.string(),
  line: z.number().int().optional(),
  field: z.string().optional(),
  message: z.string(),
});
export type ProblemView = z.infer<typeof ProblemView>;

export const BuildResultView = z.object({
  file: z.string(),
  bundleId: Id,
  version: z.number().int(),
  taskCount: z.number().int(),
  kinds: z.record(z.string(), z.number().int()),
  expiresAt: IsoTime,
  /**
   * The public half of the key that signed it: so an admin whose workstation does not yet trust
   * that key can compare the fingerprint and trust it there, without a second trip to the CLI.
   */
  signer: z.object({ jwk: PublicKeyInput, keyId: z.string(), fingerprint: z.string() }),
});
export type BuildResultView = z.infer<typeof BuildResultView>;

/** A bundle uploaded to the sync server for distribution. */
export const PublishResultView = z.object({
  bundleId: Id,
  version: z.number().int(),
  /** `stored`: workstations can now fetch it; `exists`: the server already had these exact bytes. */
  status: z.enum(['stored', 'exists']),
  size: z.number().int(),
  sha256: z.string(),
});
export type PublishResultView = z.infer<typeof PublishResultView>;
