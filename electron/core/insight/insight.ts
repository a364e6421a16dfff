import type { Database } from 'better-sqlite3';
import { Rubric, Taxonomy } from '../../../shared/domain/index.ts';
import { collectFactsAsync, insightFromFacts, tasksBehind, type Drill, type DrillResult, type Facts, type InsightOptions, type InsightReport } from '../../../shared/insight/index.ts';
import type { CoreContext } from '../context.ts';
import { workUnitRuns } from '../work/turns.ts';
import { revisionCache, storeRevision, type RevisionCache } from './report-cache.ts';

/**
 * Agreement, calibration and bias on this workstation's work (its own and received), through
 * the read model of all work. The figures are shared/insight's, the same as the server's.
 */

/** Units read per turn of the single writer: other calls get theirs in between. */
const UNITS_PER_TURN = 500;

/**
 * Each bundle's rubric and taxonomy as the workstation holds them (its newest version: a
 * criterion's scale does not change meaning between versions of one bundle).
 */
export function bundleSchemes(db: Database): Pick<InsightOptions, 'rubricOf' | 'taxonomyOf'> {
  const rows = db.prepare('SELECT id, rubric, taxonomy FROM bundles').all() as { id: string; rubric: string; taxonomy: string }[];
  const rubrics = new Map<string, Rubric>();
  const taxonomies = new Map<string, Taxonomy>();
  for (const r of rows) {
    const rubric = Rubric.safeParse(JSON.parse(r.rubric));
    if (rubric.success) rubrics.set(r.id, rubric.data);
    const taxonomy = Taxonomy.safeParse(JSON.parse(r.taxonomy));
    if (taxonomy.success) taxonomies.set(r.id, taxonomy.data);
  }
  return { rubricOf: (id) => rubrics.get(id), taxonomyOf: (id) => taxonomies.get(id) };
}

interface Caches {
  readonly facts: RevisionCache<Facts>;
  readonly reports: RevisionCache<InsightReport>;
}
const caches = new WeakMap<CoreContext, Caches>();
function cachesOf(ctx: CoreContext): Caches {
  let c = caches.get(ctx);
  // Facts hold every unit's values in columns (large on a big store): only the last two filters' are kept.
  if (!c) caches.set(ctx, (c = { facts: revisionCache(2), reports: revisionCache() }));
  return c;
}

/** Facts depend on the filter alone; the report also on the seed, replicates and drift grouping. */
const factsKey = (opts: InsightOptions) => JSON.stringify(opts.filter ?? {});
const reportKey = (opts: InsightOptions) => JSON.stringify([opts.filter ?? {}, opts.seed ?? null, opts.replicates ?? null, opts.driftBy ?? null]);

async function computeFacts(ctx: CoreContext, opts: InsightOptions): Promise<Facts> {
  const schemes = await ctx.exclusive(() => bundleSchemes(ctx.db));
  return collectFactsAsync(workUnitRuns(ctx, opts.filter?.bundleId, UNITS_PER_TURN), { ...opts, ...schemes });
}

/**
 * The revision is read in a turn of its own before any unit: a write landing while the units
 * are read in turns changes it, so the next call computes afresh rather than reusing a report
 * that may have missed that write.
 */
export async function workstationFacts(ctx: CoreContext, opts: InsightOptions = {}): Promise<Facts> {
  const revision = await ctx.exclusive(() => storeRevision(ctx.db));
  return cachesOf(ctx).facts.get(revision, factsKey(opts), () => computeFacts(ctx, opts));
}

export async function workstationInsight(ctx: CoreContext, opts: InsightOptions = {}): Promise<InsightReport> {
  const revision = await ctx.exclusive(() => storeRevision(ctx.db));
  return cachesOf(ctx).reports.get(revision, reportKey(opts), async () => insightFromFacts(await workstationFacts(ctx, opts), opts));
}

export async function workstationDrill(ctx: CoreContext, opts: InsightOptions, drill: Drill, limit?: number): Promise<DrillResult> {
  return tasksBehind(await workstationFacts(ctx, opts), drill, limit);
}
