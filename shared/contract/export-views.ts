import { z } from 'zod';
import { Id, IsoTime, TaskKind } from '../domain/index.ts';
import { ExportFormat, Pairing, Policy } from '../export/options.ts';

/** What the Export screen sends: formats, policy and filters, and the new folder to write. */
export const ExportRequest = z.strictObject({
  formats: z.array(ExportFormat).min(1, 'Choose at least one format'),
  policy: Policy.default('adjudicated'),
  pairing: Pairing.default('all-pairs'),
  conversational: z.boolean().default(false),
  fromTrajectories: z.boolean().default(false),
  bundles: z.array(Id).min(1).optional(),
  versions: z.array(z.number().int().min(1)).min(1).optional(),
  kinds: z.array(TaskKind).min(1).optional(),
  minAgreement: z.number().min(-1).max(1).optional(),
  includeGold: z.boolean().default(false),
  includeEscalated: z.boolean().default(false),
  currentModelOnly: z.boolean().default(false),
  parquet: z.boolean().default(false),
  outDir: z.string().trim().min(1, 'Choose a new folder for the export').max(4096),
});

const Counts = z.record(z.string(), z.number().int());

/** What an export included and why: the summary the screen shows, from the signed manifest. */
export const ExportSummaryView = z.object({
  dir: z.string(),
  createdAt: IsoTime,
  signerKeyId: z.string(),
  units: z.object({ seen: z.number().int(), selected: z.number().int(), excluded: Counts, agreement: z.object({ tasks: z.number().int(), mean: z.number().nullable(), min: z.number().nullable() }) }),
  datasets: z.array(
    z.object({
      format: ExportFormat,
      rows: z.number().int(),
      /** Rows on responses from a model version older than the bundle's current one. */
      staleRows: z.number().int(),
      modelDropped: z.number().int(),
      noRows: Counts,
      file: z.string(),
    }),
  ),
  bundles: z.array(z.object({ id: Id, versions: z.array(z.number().int()), currentModel: z.string().nullable() })),
  sources: z.object({ batches: z.number().int(), records: z.number().int(), unsealedRecords: z.number().int() }),
});
export type ExportSummaryView = z.infer<typeof ExportSummaryView>;

export const CandidateRef = z.strictObject({ bundleId: Id, annotationId: z.uuid(), assumptionId: z.string().min(1).max(200) });

export const CandidateView = z.object({
  bundleId: Id,
  annotationId: z.uuid(),
  assumptionId: z.string(),
  taskId: Id,
  category: z.string(),
  categoryLabel: z.string(),
  text: z.string(),
  markedBy: z.string(),
  markedAt: IsoTime,
});
export type CandidateView = z.infer<typeof CandidateView>;

export const DeriveRequest = z.strictObject({
  bundleId: Id,
  outDir: z.string().trim().min(1, 'Choose a new folder for the derived bundle source').max(4096),
  draftScoreBelow: z.number().int().min(-1000).max(1000).default(3),
});

export const DeriveView = z.object({
  dir: z.string(),
  version: z.number().int(),
  derived: z.number().int(),
  byKind: Counts,
  alreadyPresent: z.number().int(),
  candidates: z.number().int(),
});
