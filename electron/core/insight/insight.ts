import type { Database } from 'better-sqlite3';
import { Rubric, Taxonomy } from '../../../shared/domain/index.ts';
import type { ExportUnit } from '../../../shared/export/unit.ts';
import { collectFactsAsync, insightFromFacts, tasksBehind, type Drill, type DrillResult, type Facts, type InsightOptions, type InsightReport } from '../../../shared/insight/index.ts';
import type { CoreContext } from '../context.ts';
import { iterateWorkUnits } from '../work/units.ts';

/**
 * Agreement, calibration and bias on this workstation's work (its own and received), through
 * the read model of all work. The figures are shared/insight's, the same as the server's.
 */

/** Units read per turn of the single writer: other calls get theirs in between. */
const UNITS_PER_TURN = 500;

async function* workUnits(ctx: CoreContext, bundleId: string | undefined): AsyncGenerator<ExportUnit> {
  const it = await ctx.exclusive(() => iterateWorkUnits(ctx.db, bundleId ? { bundleId } : {}));
  for (;;) {
    const run = await ctx.exclusive(() => {
      const out: ExportUnit[] = [];
      for (let r = it.next(); !r.done; r = it.next()) {
        out.push(r.value);
        if (out.length >= UNITS_PER_TURN) break;
      }
      return out;
    });
    if (run.length === 0) return;
    yield* run;
  }
}

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

export async function workstationFacts(ctx: CoreContext, opts: InsightOptions = {}): Promise<Facts> {
  const schemes = await ctx.exclusive(() => bundleSchemes(ctx.db));
  return collectFactsAsync(workUnits(ctx, opts.filter?.bundleId), { ...opts, ...schemes });
}

export async function workstationInsight(ctx: CoreContext, opts: InsightOptions = {}): Promise<InsightReport> {
  return insightFromFacts(await workstationFacts(ctx, opts), opts);
}

export async function workstationDrill(ctx: CoreContext, opts: InsightOptions, drill: Drill, limit?: number): Promise<DrillResult> {
  return tasksBehind(await workstationFacts(ctx, opts), drill, limit);
}
