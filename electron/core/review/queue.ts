import type { z } from 'zod';
import type { ReviewAnnotator, ReviewQueueItem, ReviewQueueRequest } from '../../../shared/contract/index.ts';
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
 * A reviewer needs to know whether a queue is a handful of tasks or a long backlog, not its exact
 * length in the thousands: an exact count walks every matching index entry (about 0.3 s at 100k
 * tasks), while counting up to the cap stops early, since a page is only ever 500 items.
 */
export const QUEUE_TOTAL_CAP = 1000;

/**
 * The disagreement queue, read from the review index (review-index.ts) alone: tasks with two or
 * more annotators, most disagreement first, then bundle order. The unfiltered first page is a
 * range scan of the partial index review_queue; filters narrow the same scan, except the
 * open-escalation filter, which scans the smaller review_queue_open instead. `total` is exact up
 * to QUEUE_TOTAL_CAP; past it, it is the cap and `totalCapped` is true.
 */
export function reviewQueue(ctx: Pick<CoreContext, 'db'>, q: Req): { items: ReviewQueueItem[]; total: number; totalCapped: boolean } {
  const where = [
    'r.bundle_id = @bundleId AND r.annotators >= 2',
    q.kind ? 'AND r.kind = @kind' : '',
    q.escalation === 'open' ? 'AND r.open_escalations > 0' : q.escalation === 'none' ? 'AND r.escalations = 0' : '',
    q.gold === 'only' ? 'AND r.gold = 1' : q.gold === 'exclude' ? 'AND r.gold = 0' : '',
    ADJUDICATED[q.adjudicated],
    q.annotatorId ? 'AND EXISTS (SELECT 1 FROM review_authors a WHERE a.bundle_id = r.bundle_id AND a.author_id = @annotatorId AND a.task_id = r.task_id)' : '',
    // A criterion filter keeps the queue's order: the scan in score order stops at the page.
    q.criterion ? 'AND EXISTS (SELECT 1 FROM review_criteria c WHERE c.bundle_id = r.bundle_id AND c.criterion_id = @criterion AND c.task_id = r.task_id AND c.spread > 0)' : '',
  ].join(' ');
  const params = { bundleId: q.bundleId, kind: q.kind ?? null, annotatorId: q.annotatorId ?? null, criterion: q.criterion ?? null, limit: q.limit, offset: q.offset };
  const index = q.escalation === 'open' ? 'review_queue_open' : 'review_queue';
  const counted = (ctx.db.prepare(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM review_index r INDEXED BY ${index} WHERE ${where} LIMIT ${QUEUE_TOTAL_CAP + 1})`).get(params) as { n: number }).n;
  // The page is chosen from the index alone, then joined to titles: joined first, the planner
  // may prefer to walk every task in bundle order and sort.
  const rows = ctx.db
    .prepare(
      `SELECT p.*, t.title,
              ${q.criterion ? '(SELECT c.spread FROM review_criteria c WHERE c.bundle_id = p.bundle_id AND c.criterion_id = @criterion AND c.task_id = p.task_id)' : 'NULL'} AS spread
       FROM (SELECT r.bundle_id, r.task_id, r.kind, r.position, r.annotators, r.score, r.parts, r.unanimous, r.gold, r.escalations, r.open_escalations, r.adjudication
             FROM review_index r INDEXED BY ${index} WHERE ${where}
             ORDER BY r.score DESC, r.position LIMIT @limit OFFSET @offset) p
       JOIN tasks t ON t.bundle_id = p.bundle_id AND t.task_id = p.task_id
       ORDER BY p.score DESC, p.position`,
    )
    .all(params) as Row[];
  return {
    total: Math.min(counted, QUEUE_TOTAL_CAP),
    totalCapped: counted > QUEUE_TOTAL_CAP,
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

/**
 * The annotators in the review index of a bundle (review_authors, the same rows the queue's
 * annotator filter reads), named from their latest work: a received record's signed author
 * name, else a local annotation's. One range scan of the bundle's authors, then one indexed
 * lookup per annotator (a handful), so a 100k-task bundle answers as fast as a small one.
 */
export function reviewAnnotators(ctx: Pick<CoreContext, 'db'>, bundleId: string): ReviewAnnotator[] {
  const authors = ctx.db.prepare('SELECT author_id, COUNT(*) AS tasks FROM review_authors WHERE bundle_id = ? GROUP BY author_id').all(bundleId) as { author_id: string; tasks: number }[];
  const received = ctx.db.prepare("SELECT author_name FROM received_records WHERE bundle_id = ? AND author_id = ? AND kind = 'annotation' ORDER BY seq DESC LIMIT 1");
  const local = ctx.db.prepare("SELECT json_extract(body, '$.annotatorName') AS name FROM annotations WHERE bundle_id = ? AND annotator_id = ? AND status = 'submitted' ORDER BY revision DESC LIMIT 1");
  return authors
    .map((a) => {
      const name = (received.get(bundleId, a.author_id) as { author_name: string } | undefined)?.author_name ?? (local.get(bundleId, a.author_id) as { name: string | null } | undefined)?.name ?? a.author_id;
      return { annotatorId: a.author_id, annotatorName: name, tasks: a.tasks };
    })
    .sort((x, y) => x.annotatorName.localeCompare(y.annotatorName) || x.annotatorId.localeCompare(y.annotatorId));
}
