import type { DeriveOptions } from '../../../shared/export/derive.ts';
import { writeDerivedSource, type DeriveResult } from '../../../shared/node/bundle/derive.ts';
import type { CoreContext } from '../context.ts';
import { loadBundle } from '../bundles/queries.ts';
import { asGuidelineCandidates, listCandidates } from './candidates.ts';
import { workUnits } from './run-export.ts';

/**
 * The source folder of an installed bundle's next version, from this workstation's work on it
 * (local and received): its current tasks, an exemplar task per documented failure, and the
 * guideline candidates as a draft guidelines section.
 */
export async function deriveNextSource(ctx: CoreContext, bundleId: string, outDir: string, opts: DeriveOptions = {}): Promise<DeriveResult> {
  const { source, candidates } = await ctx.exclusive(() => {
    const b = loadBundle(ctx, bundleId);
    const rows = ctx.db.prepare('SELECT task_id, body FROM tasks WHERE bundle_id = ? AND retired = 0 ORDER BY position').all(bundleId) as { task_id: string; body: string }[];
    return {
      source: { settings: b.settings, guidelines: b.row.guidelines, rubric: b.rubric, taxonomy: b.taxonomy, taskLines: rows.map((r) => r.body), taskIds: new Set(rows.map((r) => r.task_id)) },
      candidates: asGuidelineCandidates(listCandidates(ctx, bundleId)),
    };
  });
  return writeDerivedSource(source, workUnits(ctx, bundleId), candidates, outDir, opts);
}
