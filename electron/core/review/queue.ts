import type { z } from 'zod';
import type { ReviewQueueItem, ReviewQueueRequest } from '../../../shared/contract/index.ts';
import type { TaskKind } from '../../../shared/domain/index.ts';
import type { DisagreementParts } from '../../../shared/review/disagreement.ts';
import type { CoreContext } from '../context.ts';

type Req = z.output<typeof ReviewQueueRequest>;

interface Row {
  bundle_id: string;
  task_id: string;
  title: string;
  kind: TaskKind;
  position: number;
  annotators: number;
  score: number;
  parts: string;
  unanimous: number;
  gold: number;
  escalations: number;
  open_escalations: number;
  adjudication: 'none' | 'current' | 'stale';
  spread: number | null;
}

const ADJUDICATED: Record<Req['adjudicated'], string> = {
  no: "AND r.adjudication IN ('none', 'stale')",
  yes: "AND r.adjudication = 'current'",
  stale: "AND r.adjudication = 'stale'",
  any: '',
};

/**
 * The disagreement queue, read from the review index (review-index.ts) alone: tasks with two or
 * more annotators, most disagreement first, then bundle order. The unfiltered first page is a
 * range scan of the partial index review_queue; filters narrow the same scan.
 */
export function reviewQueue(ctx: CoreContext, q: Req): { items: ReviewQueueItem[]; total: number } {
  const where = [
    'r.bundle_id = @bundleId AND r.annotators >= 2',
    q.kind ? 'AND r.kind = @kind' : '',
    q.escalation === 'open' ? 'AND r.open_escalations > 0' : q.escalation === 'none' ? 'AND r.escalations = 0' : '',
    q.gold === 'only' ? 'AND r.gold = 1' : q.gold === 'exclude' ? 'AND r.gold = 0' : '',
    ADJUDICATED[q.adjudicated],
    q.annotatorId ? 'AND EXISTS (SELECT 1 FROM review_authors a WHERE a.bundle_id = r.bundle_id AND a.author_id = @annotatorId AND a.task_id = r.task_id)' : '',
  ].join(' ');
  const criterion = q.criterion ? 'JOIN review_criteria c ON c.bundle_id = r.bundle_id AND c.criterion_id = @criterion AND c.task_id = r.task_id AND c.spread > 0' : '';
  const params = { bundleId: q.bundleId, kind: q.kind ?? null, annotatorId: q.annotatorId ?? null, criterion: q.criterion ?? null, limit: q.limit, offset: q.offset };
  const total = (ctx.db.prepare(`SELECT COUNT(*) AS n FROM review_index r ${criterion} WHERE ${where}`).get(params) as { n: number }).n;
  const rows = ctx.db
    .prepare(
      `SELECT r.bundle_id, r.task_id, t.title, r.kind, r.position, r.annotators, r.score, r.parts, r.unanimous, r.gold, r.escalations, r.open_escalations, r.adjudication,
              ${q.criterion ? 'c.spread' : 'NULL'} AS spread
       FROM review_index r ${criterion}
       JOIN tasks t ON t.bundle_id = r.bundle_id AND t.task_id = r.task_id
       WHERE ${where}
       ORDER BY ${q.criterion ? 'c.spread DESC, ' : ''}r.score DESC, r.position
       LIMIT @limit OFFSET @offset`,
    )
    .all(params) as Row[];
  return {
    total,
    items: rows.map((r) => ({
      bundleId: r.bundle_id,
      taskId: r.task_id,
      taskTitle: r.title,
      kind: r.kind,
      position: r.position,
      annotators: r.annotators,
      score: r.score,
      parts: JSON.parse(r.parts) as DisagreementParts,
      unanimous: r.unanimous === 1,
      gold: r.gold === 1,
      escalations: r.escalations,
      openEscalations: r.open_escalations,
      adjudication: r.adjudication,
      criterionSpread: r.spread,
    })),
  };
}
