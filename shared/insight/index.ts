/**
 * Agreement, calibration and bias on real work: export units (the all-work read model, on a
 * workstation or the server) → facts → every figure of the dashboard and `casebook agreement
 * --data`, with flags as plain sentences. Pure: no Node, no store; the same code on both sides.
 */
import { DEFAULT_SEED, type BootstrapOptions } from '../agreement/index.ts';
import type { Rubric, Taxonomy } from '../domain/index.ts';
import type { ExportUnit } from '../export/unit.ts';
import { collectFacts, factsBuilder, latestSubmitted, type Facts, type FieldFacts } from './facts.ts';
import {
  allFieldFigures,
  calibrationFigures,
  dawidSkeneFigures,
  failureCounts,
  groupFigures,
  judgeFigures,
  leniencyFigures,
  lengthFigures,
  pairFigures,
  positionFigures,
  rankingFigures,
  type FigureOptions,
} from './figures.ts';
import { activeTimes } from './active-time.ts';
import { driftFigures } from './drift.ts';
import { flagsOf } from './flags.ts';
import { olderModelBuilder, olderModelFigures, type OlderModelFacts } from './models.ts';
import type { InsightFilter, InsightReport } from './report.ts';

export * from './report.ts';
export { coderValue, collectFacts, factsBuilder, isoWeek, latestSubmitted, NO_WINNER, unitValues, type Facts, type FieldFacts, type TaskRef, type TrialFacts } from './facts.ts';
export { tasksBehind, type DrillResult, type DrillRow } from './drill.ts';
export { ALPHA_FLOOR, flagsOf, withInterval } from './flags.ts';
export { insightLines } from './text.ts';
export type { Aspect, FieldInfo, Headline } from './fields.ts';

/** Bootstrap replicates on real work: fewer than the library's 1000, enough for two-digit intervals. */
export const INSIGHT_REPLICATES = 500;

export interface InsightOptions {
  readonly filter?: InsightFilter;
  /** Bootstrap seed (default 1): the same seed and data give the same report. */
  readonly seed?: number;
  readonly replicates?: number;
  readonly driftBy?: 'week' | 'batch';
  readonly rubricOf?: (bundleId: string, version: number) => Rubric | undefined;
  readonly taxonomyOf?: (bundleId: string, version: number) => Taxonomy | undefined;
}

/** Whether a unit is in the filter's bundle, version, and (when a coder is named) among the tasks that coder did. */
export function unitInFilter(u: ExportUnit, filter: InsightFilter = {}): boolean {
  if (filter.bundleId !== undefined && u.bundle.id !== filter.bundleId) return false;
  if (filter.version !== undefined && u.bundle.version !== filter.version) return false;
  if (filter.coder !== undefined && !latestSubmitted(u).some((a) => a.annotatorId === filter.coder || a.annotatorName === filter.coder)) return false;
  return true;
}

export function* filterUnits(units: Iterable<ExportUnit>, filter: InsightFilter = {}): Generator<ExportUnit> {
  for (const u of units) if (unitInFilter(u, filter)) yield u;
}

/** The figures' facts, and the preference judgements on older model versions read alongside them. */
export type InsightFacts = Facts & { readonly olderModel?: OlderModelFacts };

/**
 * Facts from units that arrive asynchronously (the workstation's store in turns, the server's
 * read model), one at a time or in runs: a reader going through 100k units passes runs, as an
 * await per unit would cost more than the unit's facts. A run may be lazy (units made as they
 * are read, so none outlives its turn); each is read through before the next is asked for.
 */
export async function collectFactsAsync(units: AsyncIterable<ExportUnit | Iterable<ExportUnit>> | Iterable<ExportUnit>, opts: InsightOptions = {}): Promise<InsightFacts> {
  const b = factsBuilder({ rubricOf: opts.rubricOf, taxonomyOf: opts.taxonomyOf });
  const m = olderModelBuilder(opts.filter?.coder);
  const add = (u: ExportUnit) => {
    if (!unitInFilter(u, opts.filter)) return;
    b.add(u);
    m.add(u);
  };
  for await (const item of units) {
    if (isRun(item)) for (const u of item) add(u);
    else add(item);
  }
  return Object.assign(b.facts, { olderModel: m.facts });
}

const isRun = (item: ExportUnit | Iterable<ExportUnit>): item is Iterable<ExportUnit> => Symbol.iterator in item;

/** Fields in the filter: a field id, or a criterion id naming its score fields on every kind. */
export function fieldsIn(facts: Facts, filter: InsightFilter = {}): FieldFacts[] {
  const fields = [...facts.fields.values()].filter((f) => f.task.length > 0);
  if (filter.field === undefined) return fields;
  return fields.filter((f) => f.info.id === filter.field || f.info.criterionId === filter.field);
}

/** The annotator ids in scope: all, or the one the filter names (by id or display name). */
function codersIn(facts: Facts, filter: InsightFilter): string[] {
  const ids = [...facts.coders.keys()].sort();
  if (filter.coder === undefined) return ids;
  return ids.filter((id) => id === filter.coder || facts.coders.get(id) === filter.coder);
}

export function insightFromFacts(facts: InsightFacts, opts: InsightOptions = {}): InsightReport {
  const filter = opts.filter ?? {};
  const seed = opts.seed ?? DEFAULT_SEED;
  const replicates = opts.replicates ?? INSIGHT_REPLICATES;
  const bootstrap: BootstrapOptions = { seed, replicates };
  const fo: FigureOptions = { bootstrap, driftBy: opts.driftBy ?? 'week' };
  const fields = fieldsIn(facts, filter);
  const coders = codersIn(facts, filter);
  const inScope = new Set(coders);
  const bundles = new Map<string, Set<number>>();
  for (const v of facts.versions) {
    let s = bundles.get(v.bundleId);
    if (!s) bundles.set(v.bundleId, (s = new Set()));
    s.add(v.version);
  }
  const overall = allFieldFigures(facts, fields, fo);
  const onFields = filter.field === undefined || fields.some((f) => f.info.aspect === 'preference');
  const report: Omit<InsightReport, 'flags'> = {
    filter,
    seed,
    replicates,
    tasks: facts.tasks.length,
    annotations: facts.work.task.length,
    coders: [...facts.coders].map(([id, name]) => ({ id, name })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    bundles: [...bundles].map(([id, vs]) => ({ id, versions: [...vs].sort((a, b) => a - b) })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    fields: overall,
    groups: groupFigures(facts, fields, overall, fo),
    pairs: pairFigures(facts, fields, fo).filter((p) => inScope.has(p.a) || inScope.has(p.b)),
    ranking: onFields ? rankingFigures(facts, fo) : { overall: { defined: false, reason: 'too_few_items', message: 'rankings are not in the chosen field', units: 0 }, pairs: [] },
    calibration: calibrationFigures(facts, fields, fo, coders),
    positionBias: onFields ? positionFigures(facts, coders) : [],
    lengthBias: onFields ? lengthFigures(facts, coders) : [],
    leniency: leniencyFigures(facts, fields, fo, coders),
    drift: driftFigures(facts, fields, fo, coders),
    activeTime: activeTimes(facts, coders),
    dawidSkene: dawidSkeneFigures(facts, fields, coders),
    judges: judgeFigures(facts, fields, fo),
    failureModes: failureCounts(facts),
    olderModel: onFields ? olderModelFigures(facts.olderModel) : [],
  };
  return { ...report, flags: flagsOf(report) };
}

/** Every figure on these units (filtered), deterministic given the seed. */
export function computeInsight(units: Iterable<ExportUnit>, opts: InsightOptions = {}): InsightReport {
  const m = olderModelBuilder(opts.filter?.coder);
  const inScope = function* (): Generator<ExportUnit> {
    for (const u of filterUnits(units, opts.filter)) {
      m.add(u);
      yield u;
    }
  };
  const facts = collectFacts(inScope(), { rubricOf: opts.rubricOf, taxonomyOf: opts.taxonomyOf });
  return insightFromFacts(Object.assign(facts, { olderModel: m.facts }), opts);
}
