import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ApiError, type AdjudicationDraftView, type AdjudicationInput, type IdentityView } from '../../../shared/contract/index.ts';
import { Adjudication, type AdjudicationMethod, type Answer, type EscalationRef } from '../../../shared/domain/index.ts';
import { adjudicationIssues } from '../../../shared/rules/index.ts';
import { byRevision } from '../../../shared/review/decision.ts';
import { diffStats } from '../../../shared/text/word-diff.ts';
import type { CoreContext } from '../context.ts';
import { loadBundle } from '../bundles/queries.ts';
import { enqueue } from '../sync/outbox.ts';
import { taskWork, type TaskWork } from '../work/units.ts';
import { refreshReviewTask } from './review-index.ts';

type Input = z.output<typeof AdjudicationInput>;
interface Ref {
  bundleId: string;
  taskId: string;
}

function workOf(ctx: CoreContext, ref: Ref): TaskWork {
  const w = taskWork(ctx.db, ref.bundleId, ref.taskId);
  if (!w) throw new ApiError('not_found', `No task "${ref.taskId}" in bundle "${ref.bundleId}"`);
  return w;
}

/** The answer a decision takes: the source's as it is when accepted; the reviewer's otherwise (exemplar diff stats recomputed, as on annotations). */
function answerFor(w: TaskWork, input: Pick<Input, 'method' | 'source' | 'answer'>, strict: boolean): Answer | null {
  const source = input.source === null ? null : w.latest.find((a) => a.id === input.source);
  if (input.source !== null && !source) {
    throw new ApiError('validation_failed', "The answer you started from is no longer an annotator's latest work on this task; open the task again", [{ path: 'source', message: 'not a current annotation' }]);
  }
  if (input.method === 'own' && source) throw new ApiError('validation_failed', 'Your own answer has no source annotation', [{ path: 'source', message: 'must be null for method "own"' }]);
  if ((input.method === 'accepted' || input.method === 'edited') && !source && strict) {
    throw new ApiError('validation_failed', 'Say whose answer you accept or start from', [{ path: 'source', message: `required for method "${input.method}"` }]);
  }
  let answer = input.method === 'accepted' && source ? source.content.answer : (input.answer ?? null);
  if (answer && answer.kind === 'exemplar' && w.task.kind === 'exemplar') answer = { ...answer, diffStats: diffStats(w.task.draft, answer.corrected) };
  return answer;
}

function checkEscalations(w: TaskWork, refs: readonly EscalationRef[]): void {
  for (const [i, r] of refs.entries()) {
    const a = w.latest.find((x) => x.id === r.annotationId);
    if (!a?.content.escalations.some((e) => e.id === r.escalationId)) {
      throw new ApiError('validation_failed', `Escalation "${r.escalationId}" is not on an annotator's latest work on this task`, [{ path: `resolvesEscalations[${i}]`, message: 'unknown escalation' }]);
    }
  }
}

/** Saves the reviewer's unfinished decision. Nothing is checked but the references. */
export function saveAdjudicationDraft(ctx: CoreContext, who: IdentityView, input: Input): AdjudicationDraftView {
  const w = workOf(ctx, input);
  const answer = answerFor(w, input, false);
  checkEscalations(w, input.resolvesEscalations);
  const view: AdjudicationDraftView = {
    bundleId: input.bundleId,
    taskId: input.taskId,
    method: input.method,
    source: input.source,
    answer,
    rationale: input.rationale,
    resolvesEscalations: input.resolvesEscalations,
    basedOn: w.latest.map((a) => a.id),
    updatedAt: ctx.now().toISOString(),
  };
  ctx.db
    .prepare(
      `INSERT INTO adjudication_drafts (bundle_id, task_id, reviewer_id, body, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (bundle_id, task_id, reviewer_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
    )
    .run(input.bundleId, input.taskId, who.userId, JSON.stringify(view), view.updatedAt);
  return view;
}

export function loadAdjudicationDraft(ctx: CoreContext, who: IdentityView, ref: Ref): AdjudicationDraftView | null {
  const r = ctx.db.prepare('SELECT body FROM adjudication_drafts WHERE bundle_id = ? AND task_id = ? AND reviewer_id = ?').get(ref.bundleId, ref.taskId, who.userId) as { body: string } | undefined;
  return r ? (JSON.parse(r.body) as AdjudicationDraftView) : null;
}

export function discardAdjudicationDraft(ctx: CoreContext, who: IdentityView, ref: Ref): boolean {
  return ctx.db.prepare('DELETE FROM adjudication_drafts WHERE bundle_id = ? AND task_id = ? AND reviewer_id = ?').run(ref.bundleId, ref.taskId, who.userId).changes > 0;
}

/**
 * Records a decision: the next revision of the task's decision (superseding the latest one),
 * based on every annotator's latest work as it is now, checked against the submission rules,
 * queued for sync in the same transaction, the review index updated. Drops the draft.
 */
export function writeAdjudication(
  ctx: CoreContext,
  who: IdentityView,
  w: TaskWork,
  d: { method: AdjudicationMethod; source: string | null; answer: Answer; rationale: string; resolvesEscalations: EscalationRef[] },
): Adjudication {
  if (w.latest.length === 0) throw new ApiError('conflict', 'Nothing to decide yet: no annotator has submitted work on this task’s current content');
  const bundle = loadBundle(ctx, w.bundle.id);
  const issues = adjudicationIssues({ task: w.task, rubric: bundle.rubric, taxonomy: bundle.taxonomy, settings: bundle.settings, answer: d.answer }).map(({ path, message }) => ({ path, message }));
  if (d.rationale.trim() === '') issues.push({ path: 'rationale', message: 'Give the reason for your decision' });
  if (issues.length > 0) throw new ApiError('validation_failed', `Not decided: ${issues.length === 1 ? issues[0]!.message : `${issues.length} things need attention`}. Your draft is kept.`, issues);
  const last = [...w.adjudications].sort(byRevision).at(-1) ?? null;
  const now = ctx.now().toISOString();
  const record = Adjudication.parse({
    id: randomUUID(),
    bundleId: w.bundle.id,
    bundleVersion: w.latest.reduce((v, a) => Math.max(v, a.bundleVersion), w.bundle.version),
    taskId: w.task.id,
    taskHash: w.taskHash,
    reviewerId: who.userId,
    reviewerName: who.displayName,
    deviceId: who.deviceId,
    revision: (last?.revision ?? 0) + 1,
    supersedes: last?.id ?? null,
    basedOn: w.latest.map((a) => a.id),
    method: d.method,
    source: d.source,
    answer: d.answer,
    rationale: d.rationale.trim(),
    resolvesEscalations: d.resolvesEscalations,
    createdAt: now,
  } satisfies Adjudication);
  ctx.db.transaction(() => {
    ctx.db
      .prepare('INSERT INTO adjudications (id, bundle_id, task_id, reviewer_id, revision, supersedes, task_hash, bundle_version, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(record.id, record.bundleId, record.taskId, record.reviewerId, record.revision, record.supersedes, record.taskHash, record.bundleVersion, JSON.stringify(record), now);
    // Same transaction: decided if and only if queued for sync.
    enqueue(ctx.db, { type: 'adjudication', record }, now);
    discardAdjudicationDraft(ctx, who, { bundleId: record.bundleId, taskId: record.taskId });
    refreshReviewTask(ctx.db, record.bundleId, record.taskId, now);
  }).immediate();
  return record;
}

export function submitAdjudication(ctx: CoreContext, who: IdentityView, input: Input): Adjudication {
  const w = workOf(ctx, input);
  const answer = answerFor(w, input, true);
  if (!answer) throw new ApiError('validation_failed', 'Give the final answer, or accept one annotator’s', [{ path: 'answer', message: 'required' }]);
  checkEscalations(w, input.resolvesEscalations);
  // Keep the reviewer's work if the decision is refused.
  saveAdjudicationDraft(ctx, who, input);
  return writeAdjudication(ctx, who, w, { method: input.method, source: input.source, answer, rationale: input.rationale, resolvesEscalations: input.resolvesEscalations });
}
