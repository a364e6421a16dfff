import { randomUUID } from 'node:crypto';
import { ApiError, type IdentityView } from '../../../shared/contract/index.ts';
import { Annotation, type AnnotationContent } from '../../../shared/domain/index.ts';
import type { CoreContext } from '../context.ts';
import { loadBundle, loadTask } from '../bundles/queries.ts';
import { displayOrder } from '../queue/display-order.ts';
import { submissionIssues } from '../../../shared/rules/index.ts';
import { diffStats } from '../../../shared/text/word-diff.ts';
import { enqueue } from '../sync/outbox.ts';
import { refreshReviewTask } from '../review/review-index.ts';

interface Row {
  id: string;
  status: 'draft' | 'submitted';
  revision: number;
  body: string;
}

export interface TaskRef {
  bundleId: string;
  taskId: string;
}

function parseRow(row: Row): Annotation {
  return Annotation.parse(JSON.parse(row.body));
}

export function history(ctx: CoreContext, who: IdentityView, ref: TaskRef): Annotation[] {
  const rows = ctx.db
    .prepare('SELECT id, status, revision, body FROM annotations WHERE bundle_id = ? AND task_id = ? AND annotator_id = ? ORDER BY revision')
    .all(ref.bundleId, ref.taskId, who.userId) as Row[];
  return rows.map(parseRow);
}

/** The open draft if any, else the latest submitted revision, else null. */
export function currentAnnotation(ctx: CoreContext, who: IdentityView, ref: TaskRef): Annotation | null {
  const all = history(ctx, who, ref);
  return all.find((a) => a.status === 'draft') ?? all.at(-1) ?? null;
}

export function taskDisplayOrder(ctx: CoreContext, who: IdentityView, ref: TaskRef): string[] {
  const { task } = loadTask(ctx, ref.bundleId, ref.taskId);
  if (task.kind !== 'compare') return [];
  const existing = currentAnnotation(ctx, who, ref);
  // Once recorded, the order an annotator saw is the order they keep seeing.
  if (existing && existing.displayOrder.length === task.responses.length) return existing.displayOrder;
  return displayOrder(
    task.responses.map((r) => r.id),
    who.userId,
    ref.bundleId,
    ref.taskId,
  );
}

function setTaskState(ctx: CoreContext, who: IdentityView, ref: TaskRef, status: 'draft' | 'submitted' | 'escalated' | null, revision: number, at: string): void {
  if (status === null) {
    ctx.db.prepare('DELETE FROM task_state WHERE bundle_id = ? AND annotator_id = ? AND task_id = ?').run(ref.bundleId, who.userId, ref.taskId);
    return;
  }
  ctx.db
    .prepare(
      `INSERT INTO task_state (bundle_id, annotator_id, task_id, status, revision, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (bundle_id, annotator_id, task_id) DO UPDATE SET status = excluded.status, revision = excluded.revision, updated_at = excluded.updated_at`,
    )
    .run(ref.bundleId, who.userId, ref.taskId, status, revision, at);
}

/** A submitted revision with an escalation waits in the reviewers' queue rather than counting as done. */
export function stateOf(a: Annotation): 'submitted' | 'escalated' {
  return a.content.escalations.length > 0 ? 'escalated' : 'submitted';
}

/** Creates or updates the open draft. Submitted revisions are never touched. */
export function saveDraft(ctx: CoreContext, who: IdentityView, ref: TaskRef, input: AnnotationContent, activeMsDelta: number): Annotation {
  let content = input;
  const { row: bundleRow } = loadBundle(ctx, ref.bundleId);
  const { task, hash } = loadTask(ctx, ref.bundleId, ref.taskId);
  if (content.answer.kind !== task.kind) {
    throw new ApiError('validation_failed', `This is a ${task.kind} task; the answer is for a ${content.answer.kind} task`, [
      { path: 'content.answer.kind', message: `expected "${task.kind}"` },
    ]);
  }
  const order = taskDisplayOrder(ctx, who, ref);
  if (content.answer.kind === 'exemplar' && task.kind === 'exemplar') {
    content = { ...content, answer: { ...content.answer, diffStats: diffStats(task.draft, content.answer.corrected) } };
  }
  return ctx.db.transaction(() => {
    const now = ctx.now().toISOString();
    const all = history(ctx, who, ref);
    const draft = all.find((a) => a.status === 'draft');
    let next: Annotation;
    if (draft) {
      next = { ...draft, content, activeMs: draft.activeMs + activeMsDelta, updatedAt: now, bundleVersion: bundleRow.version, taskHash: hash };
      ctx.db.prepare('UPDATE annotations SET body = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(next), now, draft.id);
    } else {
      const last = all.at(-1);
      next = {
        id: randomUUID(),
        bundleId: ref.bundleId,
        bundleVersion: bundleRow.version,
        taskId: ref.taskId,
        taskHash: hash,
        annotatorId: who.userId,
        annotatorName: who.displayName,
        deviceId: who.deviceId,
        revision: (last?.revision ?? 0) + 1,
        supersedes: last?.id ?? null,
        status: 'draft',
        content,
        displayOrder: order,
        activeMs: activeMsDelta,
        createdAt: now,
        updatedAt: now,
        submittedAt: null,
      };
      ctx.db
        .prepare('INSERT INTO annotations (id, bundle_id, task_id, annotator_id, revision, status, supersedes, body, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(next.id, ref.bundleId, ref.taskId, who.userId, next.revision, 'draft', next.supersedes, JSON.stringify(next), now);
    }
    setTaskState(ctx, who, ref, 'draft', next.revision, now);
    return next;
  }).immediate();
}

/**
 * Submits: the content is saved as the draft first (so a refused submission loses nothing),
 * checked against the rubric and bundle rules, then frozen as an immutable revision.
 */
export function submit(ctx: CoreContext, who: IdentityView, ref: TaskRef, content: AnnotationContent, activeMsDelta: number): Annotation {
  const draft = saveDraft(ctx, who, ref, content, activeMsDelta);
  const bundle = loadBundle(ctx, ref.bundleId);
  const { task } = loadTask(ctx, ref.bundleId, ref.taskId);
  const issues = submissionIssues({ task, content: draft.content, rubric: bundle.rubric, taxonomy: bundle.taxonomy, settings: bundle.settings, displayOrder: draft.displayOrder }).map(({ path, message }) => ({ path, message }));
  if (issues.length > 0) {
    throw new ApiError('validation_failed', `Not submitted: ${issues.length === 1 ? issues[0]!.message : `${issues.length} things need attention`}. Your draft is saved.`, issues);
  }
  return ctx.db.transaction(() => {
    const now = ctx.now().toISOString();
    const submitted: Annotation = { ...draft, status: 'submitted', submittedAt: now, updatedAt: now };
    ctx.db.prepare("UPDATE annotations SET status = 'submitted', body = ?, updated_at = ? WHERE id = ? AND status = 'draft'").run(JSON.stringify(submitted), now, draft.id);
    setTaskState(ctx, who, ref, stateOf(submitted), submitted.revision, now);
    // Submitting against the task's current content is the second look a changed task asked for.
    ctx.db
      .prepare('UPDATE annotation_reviews SET resolved_at = ? WHERE bundle_id = ? AND task_id = ? AND annotator_id = ? AND resolved_at IS NULL')
      .run(now, ref.bundleId, ref.taskId, who.userId);
    // Same transaction as the status change: submitted if and only if queued for sync.
    enqueue(ctx.db, { type: 'annotation', record: submitted }, now);
    // A reviewer's own work takes part in the review queue like received work.
    refreshReviewTask(ctx.db, ref.bundleId, ref.taskId, now);
    return submitted;
  }).immediate();
}

/** Opens revision n+1 as a draft starting from the latest submitted content. */
export function revise(ctx: CoreContext, who: IdentityView, ref: TaskRef): Annotation {
  const all = history(ctx, who, ref);
  const open = all.find((a) => a.status === 'draft');
  if (open) return open;
  const last = all.at(-1);
  if (!last) throw new ApiError('conflict', 'Nothing has been submitted for this task yet, so there is nothing to revise');
  return saveDraft(ctx, who, ref, last.content, 0);
}

export function discardDraft(ctx: CoreContext, who: IdentityView, ref: TaskRef): boolean {
  return ctx.db.transaction(() => {
    const all = history(ctx, who, ref);
    const draft = all.find((a) => a.status === 'draft');
    if (!draft) return false;
    ctx.db.prepare("DELETE FROM annotations WHERE id = ? AND status = 'draft'").run(draft.id);
    const last = all.filter((a) => a.status === 'submitted').at(-1);
    setTaskState(ctx, who, ref, last ? stateOf(last) : null, last?.revision ?? 0, ctx.now().toISOString());
    return true;
  }).immediate();
}
