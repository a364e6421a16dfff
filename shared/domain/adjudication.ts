import { z } from 'zod';
import { Id, IsoTime } from './common.ts';
import { Answer } from './annotation.ts';

/** A reviewer's final decision for a task, in the shape of an annotation's answer. */
export const Adjudication = z.strictObject({
  id: z.uuid(),
  bundleId: Id,
  bundleVersion: z.number().int().min(1),
  taskId: Id,
  reviewerId: z.uuid(),
  reviewerName: z.string().min(1),
  deviceId: z.string().min(1),
  basedOn: z.array(z.uuid()).min(1),
  answer: Answer,
  rationale: z.string().min(1),
  resolvesEscalations: z.array(z.string()),
  createdAt: IsoTime,
});
export type Adjudication = z.infer<typeof Adjudication>;
