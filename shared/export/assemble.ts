import type { Adjudication, Answer, Task } from '../domain/index.ts';
import { percentAgreement } from '../agreement/index.ts';
import { isStale, latestAdjudication, openEscalations } from '../review/decision.ts';
import type { BatchRef, ExportUnit, UnitAdjudication, UnitAnnotation, UnitBundle } from './unit.ts';

/**
 * Builds an export unit from a task and the records held about it, wherever they are held
 * (the sync server's accepted batches; any store that can list records by task). One rule for
 * "which adjudication is in force", "how many escalations are still open" and the per-task
 * agreement figure, so a server export and a workstation export of the same work agree.
 */

/** An adjudication as held, with the batch it travelled in (null: not sealed yet). */
export type HeldAdjudication = Adjudication & { batch: BatchRef | null };

export interface TaskContent {
  bundle: UnitBundle;
  task: Task;
  /** SHA-256 of the task's line as stored in the bundle. */
  taskHash: string;
}

/** Each annotator's latest submitted revision on this content: the work that counts now. */
function latestSubmitted(annotations: readonly UnitAnnotation[], taskHash: string): UnitAnnotation[] {
  const latest = new Map<string, UnitAnnotation>();
  for (const a of annotations) {
    if (a.status !== 'submitted' || a.taskHash !== taskHash) continue;
    const seen = latest.get(a.annotatorId);
    if (!seen || a.revision > seen.revision || (a.revision === seen.revision && (a.submittedAt ?? '') > (seen.submittedAt ?? ''))) latest.set(a.annotatorId, a);
  }
  return [...latest.values()];
}

/**
 * The adjudication in force for this content (shared/review/decision.ts, the workstation's rule
 * too): the latest revision decided on this content, unless it is stale — an annotator
 * submitted on this content after it, so the reviewer never saw all the work.
 */
export function adjudicationInForce(adjudications: readonly HeldAdjudication[], annotations: readonly UnitAnnotation[], taskHash: string): HeldAdjudication | null {
  const decision = latestAdjudication(adjudications, taskHash);
  return decision && !isStale(decision, latestSubmitted(annotations, taskHash)) ? decision : null;
}

/**
 * Agreement on one task, the one definition the workstation's read model and the server's units share:
 * percent agreement (agreement library) on the task's main categorical judgement — the
 * preference choice; each step's verdict; the corrected text identical or not — over each
 * annotator's latest revision. Null with fewer than two annotators or nothing pairable.
 */
export function taskAgreement(task: Task, latest: readonly { content: { answer: Answer } }[]): number | null {
  if (latest.length < 2) return null;
  let units: string[][];
  if (task.kind === 'compare') units = [latest.map((a) => (a.content.answer.kind === 'compare' ? (a.content.answer.preference?.choice ?? '') : '')).filter((v) => v !== '')];
  else if (task.kind === 'exemplar') units = [latest.map((a) => (a.content.answer.kind === 'exemplar' ? a.content.answer.corrected.trim() : ''))];
  else {
    units = task.steps.map((s) =>
      latest.flatMap((a) => {
        const v = a.content.answer.kind === 'trajectory' ? a.content.answer.steps.find((l) => l.stepId === s.id)?.verdict : null;
        return v ? [v] : [];
      }),
    );
  }
  const pairable = units.filter((u) => u.length >= 2);
  if (pairable.length === 0) return null;
  const r = percentAgreement(pairable, { bootstrap: false });
  const value = r.defined ? r.value : r.observedAgreement;
  return value === null ? null : Math.max(-1, Math.min(1, value));
}

/** The unit for one task content and every record held about that task (any content). */
export function assembleUnit(content: TaskContent, annotations: readonly UnitAnnotation[], adjudications: readonly HeldAdjudication[]): ExportUnit {
  const { taskHash, task } = content;
  const own = annotations.filter((a) => a.taskHash === taskHash);
  const adj = adjudicationInForce(adjudications, own, taskHash);
  const latest = latestSubmitted(own, taskHash);
  return {
    bundle: content.bundle,
    task,
    taskHash,
    annotations: own,
    adjudication: adj ? toUnitAdjudication(adj) : null,
    agreement: taskAgreement(task, latest),
    gold: task.gold !== undefined,
    escalations: openEscalations(latest, adj),
  };
}

/** The fields of an adjudication an export unit carries (workstation and server alike). */
export function toUnitAdjudication(a: HeldAdjudication): UnitAdjudication {
  return {
    id: a.id,
    reviewerId: a.reviewerId,
    reviewerName: a.reviewerName,
    deviceId: a.deviceId,
    basedOn: a.basedOn,
    answer: a.answer,
    rationale: a.rationale,
    bundleVersion: a.bundleVersion,
    taskHash: a.taskHash,
    createdAt: a.createdAt,
    batch: a.batch,
  };
}
