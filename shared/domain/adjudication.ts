import { z } from 'zod';
import { Id, IsoTime, Sha256Hex } from './common.ts';
import { Answer } from './annotation.ts';

/**
 * An escalation, named without ambiguity: escalation ids are unique only inside the annotation
 * that raised them, so the annotation's id travels with it.
 */
export const EscalationRef = z.strictObject({ annotationId: z.uuid(), escalationId: z.string().min(1) });
export type EscalationRef = z.infer<typeof EscalationRef>;

/**
 * How the reviewer reached the answer: one annotator's answer taken as it is, one taken and
 * edited, the reviewer's own, or a unanimous answer accepted in bulk.
 */
export const AdjudicationMethod = z.enum(['accepted', 'edited', 'own', 'unanimous']);
export type AdjudicationMethod = z.infer<typeof AdjudicationMethod>;

/**
 * A reviewer's final decision for a task (docs/formats.md, "Adjudication"). Signed and synced
 * in batches like annotations; only devices enrolled as reviewer or admin may sign one
 * (shared/node/batch-verify.ts). A later decision on the same task names the one it replaces
 * in `supersedes` and carries the next `revision`; the one in force is the latest revision.
 */
export const Adjudication = z
  .strictObject({
    id: z.uuid(),
    bundleId: Id,
    bundleVersion: z.number().int().min(1),
    taskId: Id,
    /** SHA-256 of the task content the decision was made on (as annotations carry it). */
    taskHash: Sha256Hex,
    reviewerId: z.uuid(),
    reviewerName: z.string().min(1),
    deviceId: z.string().min(1),
    /** 1 for the first decision on a task; n+1 for one that replaces revision n. */
    revision: z.number().int().min(1),
    supersedes: z.uuid().nullable(),
    /** The annotation revisions the reviewer had before them (every annotator's latest submitted one). */
    basedOn: z.array(z.uuid()).min(1),
    method: AdjudicationMethod,
    /** The annotation whose answer was accepted or edited; null for the reviewer's own answer. */
    source: z.uuid().nullable(),
    answer: Answer,
    rationale: z.string().trim().min(1),
    resolvesEscalations: z.array(EscalationRef),
    createdAt: IsoTime,
  })
  .superRefine((a, ctx) => {
    if ((a.revision === 1) !== (a.supersedes === null)) {
      ctx.addIssue({ code: 'custom', path: ['supersedes'], message: 'revision 1 supersedes nothing; a later revision names the one it replaces' });
    }
    if ((a.method === 'accepted' || a.method === 'edited') && (a.source === null || !a.basedOn.includes(a.source))) {
      ctx.addIssue({ code: 'custom', path: ['source'], message: 'an accepted or edited answer names the annotation it came from, which must be in basedOn' });
    }
    if (a.method === 'own' && a.source !== null) ctx.addIssue({ code: 'custom', path: ['source'], message: "the reviewer's own answer has no source annotation" });
    if (a.resolvesEscalations.some((r) => !a.basedOn.includes(r.annotationId))) {
      ctx.addIssue({ code: 'custom', path: ['resolvesEscalations'], message: 'a resolved escalation must belong to an annotation the decision is based on' });
    }
  });
export type Adjudication = z.infer<typeof Adjudication>;
