import { z } from 'zod';
import { Id, IsoTime, Sha256Hex } from './common.ts';

export const BUNDLE_SOURCE_FORMAT = 'casebook.bundle/1';
export const MANIFEST_FORMAT = 'casebook.manifest/1';
export const MANIFEST_PAYLOAD_TYPE = 'application/vnd.casebook.manifest+json';

/** The files every bundle carries, in the order they are written into the zip. */
export const BUNDLE_FILES = ['bundle.json', 'guidelines.md', 'rubric.json', 'taxonomy.json', 'tasks.jsonl'] as const;
export type BundleFileName = (typeof BUNDLE_FILES)[number];

/**
 * The model this bundle's preference data is meant to improve. Responses, drafts and runs name
 * the `modelVersion` that produced them; exports flag the ones from a version listed in
 * `earlier` (older than `version`) and `--current-model-only` keeps only `version`.
 */
export const CurrentModel = z
  .strictObject({
    /** When given, a response naming another `model` is from a different model, not an older one. */
    name: z.string().min(1).max(200).optional(),
    version: z.string().min(1).max(200),
    /** Earlier versions of the same model, oldest first: the lineage that decides "older". */
    earlier: z.array(z.string().min(1).max(200)).max(1000).default([]),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>([m.version]);
    m.earlier.forEach((v, i) => {
      if (seen.has(v)) ctx.addIssue({ code: 'custom', path: ['earlier', i], message: `version "${v}" is listed twice (or is the current version)` });
      seen.add(v);
    });
  });
export type CurrentModel = z.infer<typeof CurrentModel>;

/** bundle.json: what an admin writes about the bundle as a whole. */
export const BundleSettings = z.strictObject({
  format: z.literal(BUNDLE_SOURCE_FORMAT),
  id: Id,
  version: z.number().int().min(1),
  title: z.string().min(1).max(200),
  description: z.string().optional(),
  /** When annotators must stop using this version. Defaults to one year after build. */
  expiresAt: IsoTime.optional(),
  /** Annotators are blinded to model names unless this is true. */
  showModelNames: z.boolean().default(false),
  /**
   * After submitting a gold (calibration) item the annotator sees the reference answer beside
   * theirs. Turn off for blind test sets, where the reference must stay unknown.
   */
  calibrationFeedback: z.boolean().default(true),
  /**
   * The licence the collected data is released under, as a Hugging Face / SPDX identifier
   * (`cc-by-4.0`, `apache-2.0`, `other`…): exports write it into the dataset card.
   */
  license: z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9.+-]*$/, 'use a licence identifier such as cc-by-4.0 or other').optional(),
  currentModel: CurrentModel.optional(),
  rationale: z.enum(['required', 'optional']).default('required'),
  escalation: z
    .strictObject({ allowWithoutAnswer: z.boolean().default(true) })
    .default({ allowWithoutAnswer: true }),
  assignment: z
    .strictObject({
      perTask: z.number().int().min(1).max(50),
      annotators: z.array(z.string().min(1)).optional(),
    })
    .optional(),
});
export type BundleSettings = z.infer<typeof BundleSettings>;

export const ManifestFile = z.strictObject({
  path: z.string().min(1),
  size: z.number().int().min(0),
  sha256: Sha256Hex,
});
export type ManifestFile = z.infer<typeof ManifestFile>;

/** The signed statement of what a bundle file holds. */
export const Manifest = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  bundleId: Id,
  version: z.number().int().min(1),
  title: z.string().min(1),
  createdAt: IsoTime,
  expiresAt: IsoTime,
  taskCount: z.number().int().min(0),
  files: z.array(ManifestFile).min(1),
});
export type Manifest = z.infer<typeof Manifest>;
