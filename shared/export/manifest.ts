import { z } from 'zod';
import { CurrentModel, Id, IsoTime, Sha256Hex } from '../domain/index.ts';
import { ExportFormat, ExportOptions } from './options.ts';
import { BatchRef } from './unit.ts';

export const EXPORT_MANIFEST_FORMAT = 'casebook.export-manifest/1';
export const EXPORT_MANIFEST_PAYLOAD_TYPE = 'application/vnd.casebook.export-manifest+json';
/** The signed manifest's file name inside an export folder; the only file it does not list. */
export const EXPORT_MANIFEST_FILE = 'manifest.dsse.json';

const Count = z.number().int().min(0);
const Reasons = z.record(z.string(), Count);

export const DatasetEntry = z.strictObject({
  format: ExportFormat,
  /** dpo and kto only: the message-list form. */
  conversational: z.boolean(),
  rows: Count,
  /** Rows whose model-written parts include a version older than the bundle's current one. */
  staleRows: Count,
  /** Rows left out by `currentModelOnly`. */
  modelDropped: Count,
  /** Chosen answers that gave no rows in this format, by reason (ties, "both unacceptable", no correction…). */
  noRows: Reasons,
  data: z.string().min(1),
  /** The side file with each line's id and sources (chat-sft, chat-preference), or null. */
  side: z.string().min(1).nullable(),
  parquet: z.string().min(1).nullable(),
});
export type DatasetEntry = z.infer<typeof DatasetEntry>;

export const ManifestEntry = z.strictObject({
  path: z.string().min(1),
  size: Count,
  sha256: Sha256Hex,
  /** Lines (JSONL) or rows (Parquet); null for the dataset card. */
  rows: Count.nullable(),
});
export type ManifestEntry = z.infer<typeof ManifestEntry>;

export const BundleEntry = z.strictObject({
  id: Id,
  /** The bundle versions the exported tasks come from. */
  versions: z.array(z.number().int().min(1)),
  title: z.string().optional(),
  license: z.string().optional(),
  currentModel: CurrentModel.optional(),
});
export type BundleEntry = z.infer<typeof BundleEntry>;

/** Everything about an export except its file list: what the dataset card is written from. */
export const ExportSummary = z.strictObject({
  format: z.literal(EXPORT_MANIFEST_FORMAT),
  createdAt: IsoTime,
  generator: z.string().min(1),
  title: z.string().min(1),
  options: ExportOptions,
  datasets: z.array(DatasetEntry).min(1),
  units: z.strictObject({
    seen: Count,
    /** Tasks the policy chose an answer for. */
    selected: Count,
    /** Tasks left out, by reason (a filter, or the policy found no answer). */
    excluded: Reasons,
    /** Agreement over the selected tasks that have a figure. */
    agreement: z.strictObject({ tasks: Count, mean: z.number().nullable(), min: z.number().nullable() }),
  }),
  bundles: z.array(BundleEntry),
  sources: z.strictObject({
    /** Annotations and adjudications behind the exported rows (and every record of a `full` line). */
    records: Count,
    /** Of those, local work not yet sealed into a signed batch. */
    unsealedRecords: Count,
    /** The signed batches those records travelled in, sorted by device and seq. */
    batches: z.array(BatchRef),
  }),
});
export type ExportSummary = z.infer<typeof ExportSummary>;

/** The signed statement of an export: its summary and the size and SHA-256 of every file. */
export const ExportManifest = ExportSummary.extend({ files: z.array(ManifestEntry).min(1) });
export type ExportManifest = z.infer<typeof ExportManifest>;
