import { z } from 'zod';
import { Id, IsoTime, Severity, Sha256Hex } from './common.ts';
import { ScoreValue } from './rubric.ts';

/** What an assumption or escalation is about. Span offsets are UTF-16 code units into the target text. */
export const Scope = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('task') }),
  z.strictObject({ type: z.literal('response'), responseId: Id }),
  z.strictObject({ type: z.literal('step'), stepId: Id }),
  z.strictObject({
    type: z.literal('span'),
    target: z.string().min(1),
    start: z.number().int().min(0),
    end: z.number().int().min(0),
    quote: z.string(),
  }),
]);
export type Scope = z.infer<typeof Scope>;

export const Assumption = z.strictObject({
  id: z.string().min(1),
  category: Id,
  text: z.string().min(1),
  scope: Scope,
});
export type Assumption = z.infer<typeof Assumption>;

export const Escalation = z.strictObject({
  id: z.string().min(1),
  reason: Id,
  severity: Severity,
  note: z.string(),
  scope: Scope,
});
export type Escalation = z.infer<typeof Escalation>;

/** Scores keyed by criterion id. */
export const Scores = z.record(z.string(), ScoreValue);
export type Scores = z.infer<typeof Scores>;

export const PreferenceChoice = z.union([z.literal('tie'), z.literal('both_unacceptable'), z.literal('cannot_judge'), Id]);
export const Strength = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type Strength = z.infer<typeof Strength>;
export const STRENGTH_LABELS: Record<Strength, string> = { 1: 'slightly better', 2: 'clearly better', 3: 'much better' };

export const CompareAnswer = z.strictObject({
  kind: z.literal('compare'),
  /** A response id, or one of the verdicts that name no single winner. */
  preference: z.strictObject({ choice: PreferenceChoice, strength: Strength.nullable() }).nullable(),
  /** Full ranking for N > 2: groups of tied response ids, best group first. */
  ranking: z.array(z.array(Id).min(1)).nullable().default(null),
  /** Per response id, per criterion id. */
  scores: z.record(z.string(), Scores),
  rationale: z.string(),
});
export type CompareAnswer = z.infer<typeof CompareAnswer>;

export const ExemplarAnswer = z.strictObject({
  kind: z.literal('exemplar'),
  corrected: z.string(),
  draftScores: Scores,
  note: z.string(),
  errorTypes: z.array(Id),
  /** The annotator confirmed that the draft needs no change (submitting it unchanged is otherwise refused). */
  confirmedUnchanged: z.boolean().default(false),
  /** Computed by the core from the task's draft and `corrected` on every save; a client's value is replaced. */
  diffStats: z
    .strictObject({ wordsAdded: z.number().int(), wordsRemoved: z.number().int(), wordsChanged: z.number().int() })
    .nullable()
    .default(null),
});
export type ExemplarAnswer = z.infer<typeof ExemplarAnswer>;

export const StepVerdict = z.enum(['good', 'error', 'unnecessary', 'unsafe']);
export type StepVerdict = z.infer<typeof StepVerdict>;

export const StepLabel = z.strictObject({
  stepId: Id,
  verdict: StepVerdict.nullable(),
  errorTypes: z.array(Id),
  note: z.string(),
  corrected: z.string().nullable(),
});
export type StepLabel = z.infer<typeof StepLabel>;

export const TrajectoryAnswer = z.strictObject({
  kind: z.literal('trajectory'),
  steps: z.array(StepLabel),
  firstErrorStepId: Id.nullable(),
  outcome: z.enum(['success', 'partial', 'failure']).nullable(),
  scores: Scores,
  rationale: z.string(),
});
export type TrajectoryAnswer = z.infer<typeof TrajectoryAnswer>;

export const Answer = z.discriminatedUnion('kind', [CompareAnswer, ExemplarAnswer, TrajectoryAnswer]);
export type Answer = z.infer<typeof Answer>;

/**
 * A highlighted span of a response, draft or step with a note, error types or an assumption.
 * Offsets are UTF-16 code units into the target's text as shipped in the bundle, so they stay
 * valid as long as the task's hash is unchanged.
 */
export const Highlight = z.strictObject({
  id: z.string().min(1),
  target: z.string().min(1),
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  quote: z.string(),
  note: z.string(),
  errorTypes: z.array(Id).default([]),
  assumptionId: z.string().nullable().default(null),
});
export type Highlight = z.infer<typeof Highlight>;

/** The part of an annotation the annotator edits; autosaved as a draft. */
export const AnnotationContent = z.strictObject({
  answer: Answer,
  assumptions: z.array(Assumption).default([]),
  escalations: z.array(Escalation).default([]),
  highlights: z.array(Highlight).default([]),
});
export type AnnotationContent = z.infer<typeof AnnotationContent>;

export const AnnotationStatus = z.enum(['draft', 'submitted']);
export type AnnotationStatus = z.infer<typeof AnnotationStatus>;

/**
 * One revision of one annotator's work on one task. Submitted revisions are immutable;
 * revising creates revision n+1 whose `supersedes` names the one it replaces.
 */
export const Annotation = z.strictObject({
  id: z.uuid(),
  bundleId: Id,
  bundleVersion: z.number().int().min(1),
  taskId: Id,
  /** SHA-256 of the task as imported, so a later bundle version can tell whether the task changed under it. */
  taskHash: Sha256Hex,
  annotatorId: z.uuid(),
  annotatorName: z.string().min(1),
  deviceId: z.string().min(1),
  revision: z.number().int().min(1),
  supersedes: z.uuid().nullable(),
  status: AnnotationStatus,
  content: AnnotationContent,
  /** Response ids in the order the annotator saw them (compare tasks); empty otherwise. */
  displayOrder: z.array(Id),
  activeMs: z.number().int().min(0),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  submittedAt: IsoTime.nullable(),
});
export type Annotation = z.infer<typeof Annotation>;
