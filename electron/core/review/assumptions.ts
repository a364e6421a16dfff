import type { AssumptionHit } from '../../../shared/contract/index.ts';
import { Annotation, Taxonomy } from '../../../shared/domain/index.ts';
import type { CoreContext } from '../context.ts';
import { loadBundle } from '../bundles/queries.ts';

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
const likeLiteral = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Assumptions on the latest revision (draft or submitted) of every task and annotator in a
 * bundle whose text contains every word of the query, so recurring assumptions can be found
 * and turned into guideline changes. SQLite filters by the JSON text; words are then checked
 * per assumption so "not pregnant" does not match an assumption that says neither word.
 */
export function searchAssumptions(ctx: CoreContext, q: { bundleId: string; query: string; category?: string | undefined; limit: number }): { hits: AssumptionHit[]; total: number } {
  const { taxonomy } = loadBundle(ctx, q.bundleId);
  const words = q.query.toLowerCase().split(/\s+/).filter(Boolean);
  const like = words.map(() => "AND lower(body ->> '$.content.assumptions') LIKE ? ESCAPE '\\'").join(' ');
  // Local work: the latest revision (draft or submitted) of each annotator; received work: each
  // author's latest submitted revision, its body as verified on receipt (migration 004).
  const rows = ctx.db
    .prepare(
      `SELECT body, title, position FROM (
         SELECT a.body AS body, t.title AS title, t.position AS position FROM task_state s
         JOIN annotations a ON a.bundle_id = s.bundle_id AND a.task_id = s.task_id AND a.annotator_id = s.annotator_id AND a.revision = s.revision
         JOIN tasks t ON t.bundle_id = s.bundle_id AND t.task_id = s.task_id
         WHERE s.bundle_id = ? AND json_array_length(a.body, '$.content.assumptions') > 0
         UNION ALL
         SELECT rr.body AS body, t.title AS title, t.position AS position FROM received_records rr
         JOIN tasks t ON t.bundle_id = rr.bundle_id AND t.task_id = rr.task_id
         WHERE rr.bundle_id = ? AND rr.kind = 'annotation' AND rr.issues IS NULL AND json_array_length(rr.body, '$.content.assumptions') > 0
           AND NOT EXISTS (SELECT 1 FROM received_records n WHERE n.bundle_id = rr.bundle_id AND n.task_id = rr.task_id AND n.author_id = rr.author_id
                             AND n.kind = 'annotation' AND n.revision > rr.revision)
       ) WHERE 1 = 1 ${like}
       ORDER BY position`,
    )
    .all(q.bundleId, q.bundleId, ...words.map(likeLiteral)) as { body: string; title: string }[];
  const hits: AssumptionHit[] = [];
  for (const row of rows) {
    const a = Annotation.parse(JSON.parse(row.body));
    for (const x of a.content.assumptions) {
      if (q.category && x.category !== q.category) continue;
      const text = x.text.toLowerCase();
      if (!words.every((w) => text.includes(w))) continue;
      hits.push({
        bundleId: a.bundleId,
        taskId: a.taskId,
        taskTitle: row.title,
        annotationId: a.id,
        annotatorName: a.annotatorName,
        status: a.status,
        category: x.category,
        categoryLabel: categoryLabel(taxonomy, x.category),
        text: x.text,
        scope: x.scope,
      });
    }
  }
  return { hits: hits.slice(0, q.limit), total: hits.length };
}

function categoryLabel(t: Taxonomy, id: string): string {
  return t.assumptionCategories.find((c) => c.id === id)?.label ?? id;
}
