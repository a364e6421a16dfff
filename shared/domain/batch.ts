import { z } from 'zod';
import { IsoTime, Sha256Hex } from './common.ts';
import { Annotation } from './annotation.ts';
import { Adjudication } from './adjudication.ts';

export const BATCH_FORMAT = 'casebook.batch/1';
export const BATCH_PAYLOAD_TYPE = 'application/vnd.casebook.batch+json';
/** prevHash of a device's first batch. */
export const GENESIS_HASH = '0'.repeat(64);

/** Batches carry submitted work only: a draft never leaves the workstation. */
export const SubmittedAnnotation = Annotation.extend({ status: z.literal('submitted') });
export type SubmittedAnnotation = z.infer<typeof SubmittedAnnotation>;

export const BatchRecord = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('annotation'), record: SubmittedAnnotation }),
  z.strictObject({ type: z.literal('adjudication'), record: Adjudication }),
]);
export type BatchRecord = z.infer<typeof BatchRecord>;

/**
 * The unit of sync. Identified by (deviceId, seq); seq rises by exactly one per device and
 * prevHash is the SHA-256 of the previous batch's signed envelope bytes. createdAt is
 * informational: client clocks never decide order.
 */
export const Batch = z.strictObject({
  format: z.literal(BATCH_FORMAT),
  deviceId: z.string().min(1),
  seq: z.number().int().min(1),
  prevHash: Sha256Hex,
  createdAt: IsoTime,
  records: z.array(BatchRecord).min(1),
});
export type Batch = z.infer<typeof Batch>;
