import { z } from 'zod';
import {
  Annotation,
  AnnotationStatus,
  Scope,
  Severity,
  Id,
  IsoTime,
  Role,
  Rubric,
  Taxonomy,
  TaskKind,
  CompareTask,
  ExemplarTask,
  TrajectoryTask,
} from '../domain/index.ts';

/** Shapes that only exist at the API boundary: what the UI is shown. */

export const IdentityView = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  role: Role,
  deviceId: z.string(),
  /** Public key of this device, as a JWK; the private key never crosses the API. */
  devicePublicKey: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string() }),
  deviceFingerprint: z.string(),
  createdAt: IsoTime,
});
export type IdentityView = z.infer<typeof IdentityView>;

export const StatusCounts = z.object({
  todo: z.number().int(),
  draft: z.number().int(),
  submitted: z.number().int(),
  escalated: z.number().int(),
});
export type StatusCounts = z.infer<typeof StatusCounts>;

export const BundleSummary = z.object({
  id: Id,
  version: z.number().int(),
  title: z.string(),
  description: z.string().nullable(),
  taskCount: z.number().int(),
  kinds: z.record(TaskKind, z.number().int()),
  counts: StatusCounts,
  createdAt: IsoTime,
  expiresAt: IsoTime,
  importedAt: IsoTime,
  signer: z.object({ keyId: z.string(), label: z.string() }),
  sample: z.boolean(),
  /** Escalations on the latest revisions in this workstation's store, for the bundle overview. */
  escalations: z.object({ total: z.number().int(), highSeverity: z.number().int() }),
});
export type BundleSummary = z.infer<typeof BundleSummary>;

export const BundleDetail = BundleSummary.extend({
  guidelines: z.string(),
  rubric: Rubric,
  taxonomy: Taxonomy,
  showModelNames: z.boolean(),
  rationale: z.enum(['required', 'optional']),
  allowEscalationWithoutAnswer: z.boolean(),
});
export type BundleDetail = z.infer<typeof BundleDetail>;

export const QueueStatus = z.enum(['all', 'todo', 'draft', 'submitted', 'escalated']);
export type QueueStatus = z.infer<typeof QueueStatus>;

/** A task's status for this annotator: todo (nothing), draft (unsubmitted work), submitted, escalated (submitted with an escalation). */
export const TaskStatus = z.enum(['todo', 'draft', 'submitted', 'escalated']);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const QueueItem = z.object({
  taskId: Id,
  position: z.number().int(),
  kind: TaskKind,
  title: z.string(),
  status: TaskStatus,
  revision: z.number().int().nullable(),
  updatedAt: IsoTime.nullable(),
});
export type QueueItem = z.infer<typeof QueueItem>;

const strip = { gold: true } as const;
/** A task as the annotator sees it: gold never included; model names only when the bundle allows. */
export const PublicTaskView = z.discriminatedUnion('kind', [
  CompareTask.omit(strip),
  ExemplarTask.omit(strip),
  TrajectoryTask.omit(strip),
]);

export const RevisionSummary = z.object({
  id: z.uuid(),
  revision: z.number().int(),
  status: AnnotationStatus,
  submittedAt: IsoTime.nullable(),
  updatedAt: IsoTime,
  activeMs: z.number().int(),
});
export type RevisionSummary = z.infer<typeof RevisionSummary>;

export const TaskView = z.object({
  bundleId: Id,
  bundleVersion: z.number().int(),
  task: PublicTaskView,
  position: z.number().int(),
  total: z.number().int(),
  status: TaskStatus,
  /** Response ids in display order, stable per annotator and task. */
  displayOrder: z.array(Id),
  /** The open draft if there is one, otherwise the latest submitted revision, otherwise null. */
  annotation: Annotation.nullable(),
  history: z.array(RevisionSummary),
});
export type TaskView = z.infer<typeof TaskView>;

export const JobProgress = z.object({
  jobId: z.string(),
  label: z.string(),
  done: z.number(),
  total: z.number().nullable(),
  finished: z.boolean(),
  error: z.string().nullable(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const EscalationItem = z.object({
  bundleId: Id,
  taskId: Id,
  taskTitle: z.string(),
  kind: TaskKind,
  annotationId: z.uuid(),
  revision: z.number().int(),
  annotatorName: z.string(),
  escalationId: z.string(),
  reason: Id,
  reasonLabel: z.string(),
  severity: Severity,
  note: z.string(),
  scope: Scope,
  /** Whether the annotator also gave an answer, or escalated without one. */
  answered: z.boolean(),
  submittedAt: IsoTime.nullable(),
});
export type EscalationItem = z.infer<typeof EscalationItem>;

export const AssumptionHit = z.object({
  bundleId: Id,
  taskId: Id,
  taskTitle: z.string(),
  annotationId: z.uuid(),
  /** The assumption's id inside its annotation: with annotationId, what marks it as a guideline candidate. */
  assumptionId: z.string(),
  annotatorName: z.string(),
  status: AnnotationStatus,
  category: Id,
  categoryLabel: z.string(),
  text: z.string(),
  scope: Scope,
});
export type AssumptionHit = z.infer<typeof AssumptionHit>;
/** What the sync panel shows. Plain words in lastError and refused reasons. */
export const SyncStatus = z.object({
  enrolled: z.boolean(),
  serverUrl: z.string().nullable(),
  deviceId: z.string().nullable(),
  /** Whether the server answered last time we tried; null before any attempt. */
  online: z.boolean().nullable(),
  running: z.boolean(),
  outbox: z.object({
    unsealed: z.number().int(),
    unsent: z.number().int(),
    pendingBatches: z.number().int(),
    sentBatches: z.number().int(),
    refusedBatches: z.number().int(),
  }),
  lastSuccessAt: IsoTime.nullable(),
  lastAttemptAt: IsoTime.nullable(),
  lastError: z.string().nullable(),
  /** Batches the server refused, with its reason; they are not retried until someone says so. */
  refused: z.array(z.object({ seq: z.number().int(), reason: z.string() })),
  progress: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/** The workstation lock: how it unlocks (by what protects the store) and after how long idle it locks. */
export const LockView = z.object({
  locked: z.boolean(),
  unlockWith: z.enum(['passphrase', 'os-session', 'nothing']),
  idleMinutes: z.number().int().positive().nullable(),
});
export type LockView = z.infer<typeof LockView>;
