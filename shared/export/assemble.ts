import type { Adjudication, Task } from '../domain/index.ts';
import { decisionKey } from './select.ts';
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
    if (!seen || a.revision > seen.revision) latest.set(a.annotatorId, a);
  }
  return [...latest.values()];
}

/**
 * The adjudication in force for this content: the latest (by its time, then id) whose basis is
 * annotations of this very content, none of which was revised since. An adjudication that
 * judged a revision its annotator later replaced is stale: the reviewer never saw the new answer.
 */
export function adjudicationInForce(adjudications: readonly HeldAdjudication[], annotations: readonly UnitAnnotation[], taskHash: string): HeldAdjudication | null {
  const byId = new Map(annotations.map((a) => [a.id, a]));
  const current = new Set(latestSubmitted(annotations, taskHash).map((a) => a.id));
  let best: HeldAdjudication | null = null;
  for (const adj of adjudications) {
    const basis = adj.basedOn.map((id) => byId.get(id));
    if (basis.some((a) => a === undefined || a.taskHash !== taskHash)) continue;
    if (adj.basedOn.some((id) => !current.has(id))) continue;
    if (!best || adj.createdAt > best.createdAt || (adj.createdAt === best.createdAt && adj.id > best.id)) best = adj;
  }
  return best;
}

/**
 * Observed agreement on one task: the share of pairs of annotators (latest revisions, decisive
 * answers only) who gave the same decision (select.ts `decisionKey`). Null with fewer than two
 * decisive answers. It is a plain proportion (0..1), not chance-corrected: chance correction
 * needs many tasks, and the bundle-level figures on the dataset card come from the agreement library.
 */
export function taskAgreement(task: Task, annotations: readonly UnitAnnotation[], taskHash: string): number | null {
  const keys: string[] = [];
  for (const a of latestSubmitted(annotations, taskHash)) {
    if (a.content.answer.kind !== task.kind) continue;
    const k = decisionKey(task, a.content.answer);
    if (k !== null) keys.push(k);
  }
  if (keys.length < 2) return null;
  let same = 0;
  let pairs = 0;
  for (let i = 0; i < keys.length; i++) {
    for (let j = i + 1; j < keys.length; j++) {
      pairs++;
      if (keys[i] === keys[j]) same++;
    }
  }
  return same / pairs;
}

/** The unit for one task content and every record held about that task (any content). */
export function assembleUnit(content: TaskContent, annotations: readonly UnitAnnotation[], adjudications: readonly HeldAdjudication[]): ExportUnit {
  const { taskHash, task } = content;
  const own = annotations.filter((a) => a.taskHash === taskHash);
  const adj = adjudicationInForce(adjudications, own, taskHash);
  // Escalations raised in the work that counts now; resolved when any adjudication of the task says so.
  const resolvedIds = new Set(adjudications.flatMap((a) => a.resolvesEscalations));
  let open = 0;
  let resolved = 0;
  for (const a of latestSubmitted(own, taskHash)) {
    for (const e of a.content.escalations) {
      if (resolvedIds.has(e.id)) resolved++;
      else open++;
    }
  }
  return {
    bundle: content.bundle,
    task,
    taskHash,
    annotations: own,
    adjudication: adj ? toUnitAdjudication(adj, taskHash) : null,
    agreement: taskAgreement(task, own, taskHash),
    gold: task.gold !== undefined,
    escalations: { open, resolved },
  };
}

function toUnitAdjudication(a: HeldAdjudication, taskHash: string): UnitAdjudication {
  return {
    id: a.id,
    reviewerId: a.reviewerId,
    reviewerName: a.reviewerName,
    deviceId: a.deviceId,
    basedOn: a.basedOn,
    answer: a.answer,
    rationale: a.rationale,
    bundleVersion: a.bundleVersion,
    taskHash,
    createdAt: a.createdAt,
    batch: a.batch,
  };
}
