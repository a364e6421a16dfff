import { z } from 'zod';
import { Annotation, Answer, CurrentModel, Id, IsoTime, Sha256Hex, Task } from '../domain/index.ts';

/**
 * The input of every export converter: one task, as it was when the work was done, with all
 * the work on it and where that work came from. The read model (local and received records
 * alike) builds one unit per (bundle, task, task hash) and streams them into `exportDataset`.
 */

/** The signed batch a record travelled in: (device, seq) and the SHA-256 of its envelope bytes. */
export const BatchRef = z.strictObject({
  deviceId: z.string().min(1),
  seq: z.number().int().min(1),
  hash: Sha256Hex,
});
export type BatchRef = z.infer<typeof BatchRef>;

/**
 * One annotation revision exactly as stored, plus its batch (null for local work that has not
 * been sealed into a batch yet; the manifest counts those). Drafts are ignored; so are revisions
 * superseded by a later revision of the same annotator, and work on another task hash.
 */
export const UnitAnnotation = Annotation.extend({ batch: BatchRef.nullable() });
export type UnitAnnotation = z.infer<typeof UnitAnnotation>;

/**
 * The adjudication in force for the task (the read model picks it: the latest, not superseded,
 * not stale). Only these fields are read, so the adjudication record may grow without
 * touching exports. One whose `taskHash` names other content than the unit's is ignored.
 */
export const UnitAdjudication = z.strictObject({
  id: z.uuid(),
  reviewerId: z.string().min(1),
  reviewerName: z.string().min(1),
  deviceId: z.string().min(1),
  /** The annotation ids it was based on. */
  basedOn: z.array(z.uuid()).min(1),
  answer: Answer,
  rationale: z.string().optional(),
  bundleVersion: z.number().int().min(1).optional(),
  taskHash: Sha256Hex.optional(),
  createdAt: IsoTime.optional(),
  batch: BatchRef.nullable(),
});
export type UnitAdjudication = z.infer<typeof UnitAdjudication>;

export const UnitBundle = z.strictObject({
  id: Id,
  /** The bundle version the task content below comes from. */
  version: z.number().int().min(1),
  title: z.string().optional(),
  /** From bundle.json: the licence of the collected data, for the dataset card. */
  license: z.string().optional(),
  /** From bundle.json: the model version preference rows are compared with. */
  currentModel: CurrentModel.optional(),
});
export type UnitBundle = z.infer<typeof UnitBundle>;

export const ExportUnit = z.strictObject({
  bundle: UnitBundle,
  /** The task in full (gold and model names included): the content the work below judged. */
  task: Task,
  /** SHA-256 of the task line as imported; annotations made against another hash are not used. */
  taskHash: Sha256Hex,
  /** Every submitted revision of every annotator, local and received. */
  annotations: z.array(UnitAnnotation),
  adjudication: UnitAdjudication.nullable(),
  /** Agreement on this task from the agreement library (null: fewer than two annotators, or undefined). */
  agreement: z.number().min(-1).max(1).nullable(),
  /** A calibration (gold) item: excluded from training exports unless asked for. */
  gold: z.boolean(),
  /** Escalations raised on the task: open ones exclude it unless asked for. */
  escalations: z.strictObject({ open: z.number().int().min(0), resolved: z.number().int().min(0) }),
});
export type ExportUnit = z.infer<typeof ExportUnit>;
