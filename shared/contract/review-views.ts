import { z } from 'zod';
import { Adjudication, AdjudicationMethod, AnnotationContent, Answer, EscalationRef, Id, IsoTime, Sha256Hex, TaskKind } from '../domain/index.ts';
import { PublicTaskView } from './views.ts';

/**
 * What the reviewers' workspace shows: the disagreement queue, every annotator's work on one
 * task side by side, the reviewer's draft decision, and what an author sees of the final answer.
 */

export const DisagreementPartsView = z.object({
  preference: z.number(),
  strength: z.number(),
  ranking: z.number(),
  criteria: z.number(),
  steps: z.number(),
  firstError: z.number(),
  outcome: z.number(),
  correction: z.number(),
});
export type DisagreementPartsView = z.infer<typeof DisagreementPartsView>;

/** none: never decided; current: decided on all the work there is; stale: work arrived or was revised after the decision. */
export const AdjudicationState = z.enum(['none', 'current', 'stale']);
export type AdjudicationState = z.infer<typeof AdjudicationState>;

export const ReviewQueueItem = z.object({
  bundleId: Id,
  taskId: Id,
  taskTitle: z.string(),
  kind: TaskKind,
  position: z.number().int(),
  /** Annotators whose latest submitted work is on the task's current content. */
  annotators: z.number().int(),
  /** Disagreement score (0: all decided fields agree); the queue's order, highest first. */
  score: z.number(),
  parts: DisagreementPartsView,
  unanimous: z.boolean(),
  gold: z.boolean(),
  escalations: z.number().int(),
  openEscalations: z.number().int(),
  adjudication: AdjudicationState,
  /** With a criterion filter: that criterion's normalised score spread on this task. */
  criterionSpread: z.number().nullable(),
});
export type ReviewQueueItem = z.infer<typeof ReviewQueueItem>;

/** An annotator with work in the review index of a bundle: what the queue's annotator filter offers. */
export const ReviewAnnotator = z.object({ annotatorId: z.string(), annotatorName: z.string(), tasks: z.number().int() });
export type ReviewAnnotator = z.infer<typeof ReviewAnnotator>;

export const ReviewQueueRequest = z.strictObject({
  bundleId: Id,
  kind: TaskKind.optional(),
  /** Only tasks whose scores on this criterion differ (spread > 0); the item carries the spread. */
  criterion: Id.optional(),
  /** Only tasks this annotator (user id) worked on. */
  annotatorId: z.string().min(1).max(128).optional(),
  /** open: with an unresolved escalation; none: without any; any (default): both. */
  escalation: z.enum(['any', 'open', 'none']).default('any'),
  /** only: gold items only; exclude: no gold items; any (default). */
  gold: z.enum(['any', 'only', 'exclude']).default('any'),
  /** no (default): never decided or stale, the work still to do; yes: decided and current; stale; any. */
  adjudicated: z.enum(['no', 'yes', 'stale', 'any']).default('no'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
});

/** An escalation on one annotator's work, with whether the decision in force resolved it. */
export const ReviewEscalation = z.object({
  annotationId: z.uuid(),
  escalationId: z.string(),
  reason: Id,
  reasonLabel: z.string(),
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  note: z.string(),
  resolved: z.boolean(),
});

/** One annotator's latest submitted work on the task. Names are null in blind mode. */
export const ReviewWork = z.object({
  /** "Annotator A", "Annotator B"…: stable for this task whatever the mode, so a blind decision can name its source. */
  pseudonym: z.string(),
  annotatorId: z.string().nullable(),
  annotatorName: z.string().nullable(),
  annotationId: z.uuid(),
  revision: z.number().int(),
  bundleVersion: z.number().int(),
  taskHash: Sha256Hex,
  origin: z.enum(['local', 'received']),
  submittedAt: IsoTime.nullable(),
  activeMs: z.number().int(),
  displayOrder: z.array(Id),
  content: AnnotationContent,
  escalations: z.array(ReviewEscalation),
  /** Whether this work is in the decision in force (false: it arrived or was revised after it). */
  inDecision: z.boolean(),
});
export type ReviewWork = z.infer<typeof ReviewWork>;

export const AdjudicationInput = z.strictObject({
  bundleId: Id,
  taskId: Id,
  /** accepted: one annotator's answer as it is (taken from `source`); edited: one annotator's, changed; own: the reviewer's. */
  method: AdjudicationMethod.exclude(['unanimous']),
  source: z.uuid().nullable().default(null),
  /** For `accepted` the core takes the source's answer; any answer given is ignored. */
  answer: Answer.optional(),
  rationale: z.string().max(20_000).default(''),
  resolvesEscalations: z.array(EscalationRef).max(500).default([]),
});
export type AdjudicationInput = z.input<typeof AdjudicationInput>;

export const AdjudicationDraftView = z.object({
  bundleId: Id,
  taskId: Id,
  method: AdjudicationMethod,
  source: z.uuid().nullable(),
  answer: Answer.nullable(),
  rationale: z.string(),
  resolvesEscalations: z.array(EscalationRef),
  /** The annotation ids the draft was started on; the decision will be based on the latest work when submitted. */
  basedOn: z.array(z.uuid()),
  updatedAt: IsoTime,
});
export type AdjudicationDraftView = z.infer<typeof AdjudicationDraftView>;

export const AdjudicationView = z.object({
  record: Adjudication,
  /** The source annotation's pseudonym (for blind mode), or null. */
  sourcePseudonym: z.string().nullable(),
  origin: z.enum(['local', 'received']),
  stale: z.boolean(),
});
export type AdjudicationView = z.infer<typeof AdjudicationView>;

/**
 * When more work arrived after a decision: the decided answer with only the fields still
 * undecided proposed anew (where the new work disagrees with the decision, the decision stays).
 */
export const RemergeProposal = z.object({
  answer: Answer,
  /** Paths into the answer kept from the decision. */
  kept: z.array(z.string()),
  /** Paths filled from the new work because the decision did not decide them. */
  filled: z.array(z.string()),
  /** Paths where new work disagrees with what was decided (kept, but shown). */
  contested: z.array(z.string()),
});
export type RemergeProposal = z.infer<typeof RemergeProposal>;

export const ReviewTaskView = z.object({
  bundleId: Id,
  bundleVersion: z.number().int(),
  taskHash: Sha256Hex,
  task: PublicTaskView,
  gold: z.boolean(),
  blind: z.boolean(),
  work: z.array(ReviewWork),
  /** Work on earlier content of the task (kept across a bundle update), not compared. */
  earlierWork: z.number().int(),
  disagreement: z.object({ score: z.number(), unanimous: z.boolean(), parts: DisagreementPartsView, criteria: z.record(z.string(), z.number()) }),
  adjudication: AdjudicationView.nullable(),
  /** Every decision on the task, oldest revision first. */
  history: z.array(z.object({ id: z.uuid(), revision: z.number().int(), reviewerName: z.string().nullable(), method: AdjudicationMethod, createdAt: IsoTime })),
  draft: AdjudicationDraftView.nullable(),
  stale: z.boolean(),
  proposal: RemergeProposal.nullable(),
});
export type ReviewTaskView = z.infer<typeof ReviewTaskView>;

export const BulkAcceptItem = z.object({ taskId: Id, taskTitle: z.string(), kind: TaskKind, annotators: z.number().int(), answer: Answer, adjudication: AdjudicationState });
export type BulkAcceptItem = z.infer<typeof BulkAcceptItem>;

/** The author's view of the decision on their own task: theirs beside the final answer. */
export const FinalView = z.object({
  /** This user's latest submitted revision, or null. */
  mine: z.object({ annotationId: z.uuid(), revision: z.number().int(), answer: Answer }).nullable(),
  final: z
    .object({
      adjudicationId: z.uuid(),
      revision: z.number().int(),
      reviewerName: z.string(),
      method: AdjudicationMethod,
      answer: Answer,
      rationale: z.string(),
      createdAt: IsoTime,
      /** Whether the decision took this user's latest work into account. */
      basedOnMine: z.boolean(),
      /** Whether the final answer is this user's answer (as decided). */
      sameAsMine: z.boolean(),
    })
    .nullable(),
});
export type FinalView = z.infer<typeof FinalView>;

export const BatchFileResult = z.object({
  file: z.string(),
  ok: z.boolean(),
  message: z.string().optional(),
  deviceId: z.string().optional(),
  seq: z.number().int().optional(),
  duplicate: z.boolean().optional(),
  expectedSeq: z.number().int().optional(),
});
export type BatchFileResult = z.infer<typeof BatchFileResult>;
