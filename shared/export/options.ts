import { z } from 'zod';
import { Id, TaskKind } from '../domain/index.ts';

/** The line shapes an export can write; one data file each. */
export const ExportFormat = z.enum(['sft', 'dpo', 'chat-preference', 'chat-sft', 'kto', 'prm', 'full']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/**
 * Which answer a task contributes. An adjudication in force always wins; without one:
 * - `adjudicated`: nothing;
 * - `unanimous`: the answer every annotator who answered gave (at least two of them);
 * - `majority`: the answer more than half of those who answered gave (at least two answered);
 * - `all`: every annotator's answer, each as its own rows.
 */
export const Policy = z.enum(['adjudicated', 'unanimous', 'majority', 'all']);
export type Policy = z.infer<typeof Policy>;

/**
 * How a ranking (groups of tied responses, best first) becomes preference pairs. Responses in
 * the same group are tied and never pair.
 * - `all-pairs`: every response against every response in a lower group;
 * - `adjacent`: each group against the next one only;
 * - `best-vs-rest`: the top group against every lower group.
 */
export const Pairing = z.enum(['all-pairs', 'adjacent', 'best-vs-rest']);
export type Pairing = z.infer<typeof Pairing>;

export const ExportFilters = z.strictObject({
  /** Only these bundle ids. */
  bundles: z.array(Id).min(1).optional(),
  /** Only work done against these bundle versions (annotations and adjudications). */
  versions: z.array(z.number().int().min(1)).min(1).optional(),
  kinds: z.array(TaskKind).min(1).optional(),
  /** Only tasks whose agreement is at least this (tasks without a figure are left out). */
  minAgreement: z.number().min(-1).max(1).optional(),
  /** Calibration (gold) items are left out unless this is true. */
  includeGold: z.boolean().default(false),
  /** Tasks with an open escalation are left out unless this is true. */
  includeEscalated: z.boolean().default(false),
  /** Only rows whose model-written parts all come from the bundle's current model version. */
  currentModelOnly: z.boolean().default(false),
});
export type ExportFilters = z.infer<typeof ExportFilters>;

export const ExportOptions = z.strictObject({
  policy: Policy.default('adjudicated'),
  pairing: Pairing.default('all-pairs'),
  /** dpo and kto: message lists (TRL's conversational form) instead of plain text. */
  conversational: z.boolean().default(false),
  /** sft, chat-sft, dpo, chat-preference: also rows from corrected trajectory steps. */
  fromTrajectories: z.boolean().default(false),
  prm: z
    .strictObject({
      /** The label of an "unnecessary" step: true (not wrong, the default) or false (wasteful counts as wrong). */
      unnecessary: z.boolean().default(true),
      /** Steps after the first step labelled false: left out (the default), or all labelled false. */
      afterFirstError: z.enum(['drop', 'false']).default('drop'),
    })
    .default({ unnecessary: true, afterFirstError: 'drop' }),
  filters: ExportFilters.default({ includeGold: false, includeEscalated: false, currentModelOnly: false }),
});
export type ExportOptions = z.infer<typeof ExportOptions>;
export type ExportOptionsInput = z.input<typeof ExportOptions>;
