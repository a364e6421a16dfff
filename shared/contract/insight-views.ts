import { z } from 'zod';
import { Id } from '../domain/index.ts';
import type { DrillResult, InsightReport } from '../insight/index.ts';

/** Dashboard filters: bundle, version, a field or criterion id, an annotator (id or name). */
export const InsightFilterInput = z.strictObject({
  bundleId: Id.optional(),
  version: z.number().int().min(1).optional(),
  field: z.string().min(1).max(200).optional(),
  coder: z.string().min(1).max(200).optional(),
});

export const InsightDrillInput = z.strictObject({
  field: z.string().min(1).max(200).optional(),
  coder: z.string().min(1).max(200).optional(),
  pair: z.tuple([z.string().min(1).max(200), z.string().min(1).max(200)]).optional(),
  judge: z.string().min(1).max(200).optional(),
  bundleId: z.string().min(1).max(200).optional(),
  show: z.enum(['disagreement', 'position', 'gold', 'work', 'older-model']),
});

const isObject = (v: unknown) => typeof v === 'object' && v !== null;

/**
 * The report is built by the core from shared/insight, whose types (report.ts) describe every
 * figure; it is checked here for shape only, as the renderer reads it through those types. A
 * full schema would repeat report.ts field by field for no safety gained: no client input
 * reaches it unparsed.
 */
export const InsightReportView = z.custom<InsightReport>((v) => isObject(v) && Array.isArray((v as { fields?: unknown }).fields) && Array.isArray((v as { flags?: unknown }).flags));
export const InsightDrillView = z.custom<DrillResult>((v) => isObject(v) && Array.isArray((v as { rows?: unknown }).rows));

/** One line of a gold comparison: what the reference says and what the annotator said. */
const GoldLine = z.object({ label: z.string(), reference: z.string(), yours: z.string(), match: z.boolean() });

export const GoldFeedbackView = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(false),
    /** not_gold: the task has no reference; not_submitted: shown only after submitting; hidden_by_bundle: a blind test set. */
    reason: z.enum(['not_gold', 'not_submitted', 'hidden_by_bundle']),
  }),
  z.object({ available: z.literal(true), lines: z.array(GoldLine), note: z.string().nullable() }),
]);
export type GoldFeedbackView = z.infer<typeof GoldFeedbackView>;
