/**
 * Facts → figures: agreement per field (and per bundle, bundle version), per annotator pair,
 * rankings, calibration against gold and adjudicated answers, position and length bias,
 * leniency, Dawid–Skene (advisory), model judges and failure modes (drift and active time
 * have modules of their own).
 * Every coefficient comes from the agreement library; this module only decides which values
 * go in. Deterministic: every bootstrap draws from the one seed given.
 */
import {
  dawidSkene,
  firstErrorAgreement,
  firstErrorMatch,
  gwetAC1,
  krippendorffAlpha,
  leniency,
  lengthBias,
  meanKendallTauB,
  percentAgreement,
  positionBias,
  referenceAgreement,
  undefinedFigure,
  type BootstrapOptions,
  type ColumnRatings,
  type Figure,
  type Value,
} from '../agreement/index.ts';
import { ColumnPatterns, columnPairs, columnUnits } from '../agreement/column-patterns.ts';
import type { CodedInput } from '../agreement/columns.ts';
import { unitCount, unitValues, type Facts, type FieldFacts, type TrialFacts } from './facts.ts';
import type { FieldInfo } from './fields.ts';
import type {
  AccuracyFigure,
  BiasFigure,
  CalibrationFigures,
  DawidSkeneFigures,
  FailureCount,
  FieldFigures,
  GroupFigures,
  JudgeFieldFigures,
  JudgeFigures,
  LeniencyFigure,
  PairFigure,
  RankingFigures,
} from './report.ts';

export interface FigureOptions {
  readonly bootstrap: BootstrapOptions;
  readonly driftBy: 'week' | 'batch';
}

/** Which units of a field to use, by unit index. */
type Keep = (u: number) => boolean;
const all: Keep = () => true;

function knownCategories(info: FieldInfo, seen: Iterable<Value>): readonly Value[] | undefined {
  if (!info.categories) return undefined;
  const known = new Set(info.categories);
  for (const v of seen) if (!known.has(v)) return undefined;
  return info.categories;
}

/** The units `keep` accepts that some coder answered. */
function selected(f: FieldFacts, keep: Keep): Int32Array {
  const n = unitCount(f);
  const out = new Int32Array(n);
  let k = 0;
  for (let u = 0; u < n; u++) if (f.answered[u]! > 0 && keep(u)) out[k++] = u;
  return out.subarray(0, k);
}

// A field's answered units, found once per field: the field figures, leniency and Dawid–Skene all start from them.
const answeredCache = new WeakMap<FieldFacts, Int32Array>();

/** The units some coder answered, in unit order (one array per field: read, never changed). */
function answeredUnits(f: FieldFacts): Int32Array {
  let units = answeredCache.get(f);
  if (!units) answeredCache.set(f, (units = selected(f, all)));
  return units;
}

/** The units some coder answered, on the tasks a mask over tasks holds. */
function selectedIn(f: FieldFacts, taskMask: Uint8Array): Int32Array {
  const n = unitCount(f);
  const out = new Int32Array(n);
  let k = 0;
  for (let u = 0; u < n; u++) if (f.answered[u]! > 0 && taskMask[f.task[u]!] === 1) out[k++] = u;
  return out.subarray(0, k);
}

// A field's unit patterns over all its coders, found once per field and reused by every selection of its units.
const patternCache = new WeakMap<FieldFacts, ColumnPatterns | null>();

/**
 * The selected units coded once for every coefficient asked of them (through the field's
 * patterns), with the categories to pass the library: the rubric's order when every value
 * given is on it.
 */
function fieldUnits(f: FieldFacts, select: ArrayLike<number>): { units: CodedInput; categories: readonly Value[] | undefined } {
  let patterns = patternCache.get(f);
  if (patterns === undefined) patternCache.set(f, (patterns = ColumnPatterns.of(f)));
  const categoriesFor = (present: readonly Value[]) => knownCategories(f.info, present);
  const opts = { ordered: false, metric: f.info.label };
  const units = patterns ? patterns.units(select, categoriesFor, opts) : columnUnits(f, select, categoriesFor, opts);
  return { units, categories: units.given };
}

/** The selected units' values as lists (for the few figures that take the numbers themselves). */
const unitLists = (f: FieldFacts, select: ArrayLike<number>): Value[][] => Array.from(select, (u) => unitValues(f, u).values);

const asFigure = (f: Figure): Figure => (f.defined ? { defined: true, value: f.value, ci: f.ci } : { defined: false, reason: f.reason, message: f.message });

function alphaOf(info: FieldInfo, units: CodedInput, bootstrap: BootstrapOptions, categories: readonly Value[] | undefined): Figure {
  return asFigure(krippendorffAlpha(units, { level: info.level, categories, bootstrap }));
}

/** The field's figures over the units selected (answered ones, in unit order; null when there are none). */
export function fieldFigures(f: FieldFacts, select: Int32Array, opts: FigureOptions): FieldFigures | null {
  const info = f.info;
  if (select.length === 0) return null;
  // Pairable units, their tasks (a field's units run in task order) and the coders in them.
  let pairableUnits = 0;
  let tasks = 0;
  let lastTask = -1;
  const inPairs = new Uint8Array(f.columns.length);
  let coders = 0;
  for (let i = 0; i < select.length; i++) {
    const u = select[i]!;
    if (f.answered[u]! < 2) continue;
    pairableUnits++;
    if (f.task[u] !== lastTask) {
      tasks++;
      lastTask = f.task[u]!;
    }
    // Once every coder is in a pair, no unit can add one.
    if (coders < inPairs.length) {
      for (let c = 0; c < f.columns.length; c++) {
        if (!inPairs[c] && f.columns[c]![u]! >= 0) {
          inPairs[c] = 1;
          coders++;
        }
      }
    }
  }
  const b = opts.bootstrap;
  const base = { field: info.id, label: info.label, kind: info.kind, aspect: info.aspect, criterionId: info.criterionId, level: info.level, headline: info.headline, pairableUnits, tasks, coders };
  const { units, categories } = fieldUnits(f, select);
  if (info.aspect === 'first_error') {
    const fe = firstErrorAgreement(unitLists(f, select) as number[][], { within: 1, bootstrap: b });
    const alpha = alphaOf(info, units, b, categories);
    return { ...base, value: fe.exact, alpha, ac1: null, percent: fe.exact, within1: asFigure(fe.within) };
  }
  const alpha = alphaOf(info, units, b, categories);
  const ac1 = info.level === 'nominal' ? asFigure(gwetAC1(units, { categories, bootstrap: b })) : null;
  const percent = asFigure(percentAgreement(units, { categories, bootstrap: b }));
  const value = info.headline === 'ac1' && ac1 ? ac1 : alpha;
  return { ...base, value, alpha, ac1, percent, within1: null };
}

export function allFieldFigures(facts: Facts, fields: readonly FieldFacts[], opts: FigureOptions): FieldFigures[] {
  return fields.map((f) => fieldFigures(f, answeredUnits(f), opts)).filter((x): x is FieldFigures => x !== null);
}

/** Headline figures per bundle and, where a bundle has more than one version, per version. */
export function groupFigures(facts: Facts, fields: readonly FieldFacts[], overall: readonly FieldFigures[], opts: FigureOptions): GroupFigures[] {
  // Version indexes (into facts.versions) by bundle.
  const byBundle = new Map<string, number[]>();
  facts.versions.forEach((v, i) => {
    let list = byBundle.get(v.bundleId);
    if (!list) byBundle.set(v.bundleId, (list = []));
    list.push(i);
  });
  // Each group as a mask over tasks (a unit is in it when its task is), from the tasks' versions.
  const maskOf = (versions: readonly number[]) => {
    const wanted = new Uint8Array(facts.versions.length);
    for (const v of versions) wanted[v] = 1;
    const mask = new Uint8Array(facts.versionOf.length);
    let n = 0;
    for (let t = 0; t < mask.length; t++) n += mask[t] = wanted[facts.versionOf[t]!]!;
    return { mask, tasks: n };
  };
  const fieldsOf = (mask: Uint8Array) => fields.map((f) => fieldFigures(f, selectedIn(f, mask), opts)).filter((x): x is FieldFigures => x !== null);
  const groups: GroupFigures[] = [];
  for (const [bundleId, vs] of [...byBundle].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const inBundle = maskOf(vs);
    // One bundle in scope: its figures are the overall ones, so they are not computed twice.
    groups.push({ bundleId, version: null, tasks: inBundle.tasks, fields: byBundle.size === 1 ? [...overall] : fieldsOf(inBundle.mask) });
    if (vs.length < 2) continue;
    for (const v of [...vs].sort((a, b) => facts.versions[a]!.version - facts.versions[b]!.version)) {
      const inVersion = maskOf([v]);
      groups.push({ bundleId, version: facts.versions[v]!.version, tasks: inVersion.tasks, fields: fieldsOf(inVersion.mask) });
    }
  }
  return groups;
}

const pairsOf = (coders: readonly string[]): [string, string][] => coders.flatMap((a, i) => coders.slice(i + 1).map((b): [string, string] => [a, b]));

/** Per annotator pair and field: the headline coefficient on the units both answered. */
export function pairFigures(facts: Facts, fields: readonly FieldFacts[], opts: FigureOptions): PairFigure[] {
  const out: PairFigure[] = [];
  const order = facts.coderIds.map((id, c) => [id, c] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const f of fields) {
    if (f.info.aspect === 'first_error') continue;
    const pairs: { a: string; b: string; columns: [number, number] }[] = [];
    for (const [i, [a, ca]] of order.entries()) for (const [b, cb] of order.slice(i + 1)) if (f.columns[ca] && f.columns[cb]) pairs.push({ a, b, columns: [ca, cb] });
    const coded = columnPairs(f, pairs.map((p) => p.columns), null, (present) => knownCategories(f.info, present), { ordered: false, metric: f.info.label });
    pairs.forEach(({ a, b }, p) => {
      const pair = coded[p];
      if (!pair) return;
      const categories = pair.input.given;
      const value = f.info.headline === 'ac1' ? asFigure(gwetAC1(pair.input, { categories, bootstrap: opts.bootstrap })) : alphaOf(f.info, pair.input, opts.bootstrap, categories);
      out.push({ field: f.info.id, a, b, units: pair.units, value });
    });
  }
  return out;
}

export function rankingFigures(facts: Facts, opts: FigureOptions): RankingFigures {
  const byPair = new Map<string, { x: number[]; y: number[] }[]>();
  const everything: { x: number[]; y: number[] }[] = [];
  for (const r of facts.rankings) {
    for (const [a, b] of pairsOf([...r.ranks.keys()].sort())) {
      const item = { x: r.ranks.get(a)!, y: r.ranks.get(b)! };
      everything.push(item);
      const key = `${a}\u0000${b}`;
      let list = byPair.get(key);
      if (!list) byPair.set(key, (list = []));
      list.push(item);
    }
  }
  const tau = (items: { x: number[]; y: number[] }[]) => {
    const r = meanKendallTauB(items, { bootstrap: opts.bootstrap });
    return { ...asFigure(r), units: r.units };
  };
  return {
    overall: tau(everything),
    pairs: [...byPair].sort(([x], [y]) => (x < y ? -1 : 1)).map(([key, items]) => {
      const [a, b] = key.split('\u0000') as [string, string];
      return { ...tau(items), a, b };
    }),
  };
}

/** The field's selected units as the library's column ratings (coder names beside the columns). */
function ratingsOf(facts: Facts, f: FieldFacts, select: ArrayLike<number>): ColumnRatings {
  return { kind: 'columns', columns: f.columns, dictionary: f.dictionary, coders: facts.coderIds, select };
}

/** Within one step, for first-error values (step indexes). */
const withinOneStep = (a: Value, b: Value): boolean => typeof a === 'number' && typeof b === 'number' && firstErrorMatch(1)(a, b);

function accuracy(facts: Facts, f: FieldFacts, side: 'gold' | 'adjudicated', opts: FigureOptions, coders: readonly string[]): Map<string, AccuracyFigure> {
  const out = new Map<string, AccuracyFigure>();
  const reference = f[side];
  const ratings = ratingsOf(facts, f, selected(f, (u) => reference[u]! >= 0));
  if (ratings.select.length === 0) return out;
  const exact = referenceAgreement(ratings, reference, { bootstrap: opts.bootstrap });
  const near = f.info.aspect === 'first_error' ? referenceAgreement(ratings, reference, { match: withinOneStep, bootstrap: opts.bootstrap }) : null;
  for (const r of exact) {
    if (!coders.includes(r.coder)) continue;
    const w = near?.find((n) => n.coder === r.coder);
    out.set(r.coder, { field: f.info.id, label: f.info.label, units: r.units, matches: r.matches, value: asFigure(r), within1: w ? asFigure(w) : null });
  }
  return out;
}

export function calibrationFigures(facts: Facts, fields: readonly FieldFacts[], opts: FigureOptions, coders: readonly string[]): CalibrationFigures[] {
  const gold = new Map<string, AccuracyFigure[]>(coders.map((c) => [c, []]));
  const adjudicated = new Map<string, AccuracyFigure[]>(coders.map((c) => [c, []]));
  for (const f of fields) {
    if (f.info.aspect === 'strength') continue;
    for (const [coder, a] of accuracy(facts, f, 'gold', opts, coders)) gold.get(coder)!.push(a);
    for (const [coder, a] of accuracy(facts, f, 'adjudicated', opts, coders)) adjudicated.get(coder)!.push(a);
  }
  return coders.map((coder) => ({ coder, gold: gold.get(coder)!, adjudicated: adjudicated.get(coder)! }));
}

function biasFigure(coder: string, r: ReturnType<typeof positionBias> | ReturnType<typeof lengthBias>): BiasFigure {
  return { coder, trials: r.trials, hits: r.hits, value: asFigure(r), expectedRate: r.expectedRate, pValue: r.pValue, wilson: r.wilson };
}

// Position and length bias group the same trials by who chose one after the other; grouped once.
const trialsCache = new WeakMap<TrialFacts, Int32Array[]>();

/** The rows of each chooser's trials (by `who`), in trial order. */
function trialsBy(trials: TrialFacts): Int32Array[] {
  const hit = trialsCache.get(trials);
  if (hit) return hit;
  const counts: number[] = [];
  for (let r = 0; r < trials.who.length; r++) counts[trials.who[r]!] = (counts[trials.who[r]!] ?? 0) + 1;
  const by = Array.from(counts, (n) => new Int32Array(n ?? 0));
  const fill = new Int32Array(by.length);
  for (let r = 0; r < trials.who.length; r++) by[trials.who[r]!]![fill[trials.who[r]!]!++] = r;
  trialsCache.set(trials, by);
  return by;
}

/** Each coder in scope with trials, and their rows. */
function coderTrials(facts: Facts, coders: readonly string[]): { coder: string; rows: Int32Array }[] {
  const by = trialsBy(facts.trials);
  return coders.flatMap((coder) => {
    const rows = by[facts.coderIds.indexOf(coder)];
    return rows && rows.length > 0 ? [{ coder, rows }] : [];
  });
}

export function positionFigures(facts: Facts, coders: readonly string[]): BiasFigure[] {
  return coderTrials(facts, coders).map(({ coder, rows }) => biasFigure(coder, positionBias({ ...facts.trials, rows })));
}

export function lengthFigures(facts: Facts, coders: readonly string[]): BiasFigure[] {
  return coderTrials(facts, coders).map(({ coder, rows }) => biasFigure(coder, lengthBias({ ...facts.trials, rows })));
}

/** Whether every value a coder gave on the field is a number. */
function numbersOnly(f: FieldFacts): boolean {
  const used = new Uint8Array(f.dictionary.length);
  for (const col of f.columns) for (let u = 0; u < col.length; u++) if (col[u]! >= 0) used[col[u]!] = 1;
  return f.dictionary.every((v, g) => !used[g] || typeof v === 'number');
}

/** Leniency on every numeric (Likert) criterion: each coder's mean score minus the others'. */
export function leniencyFigures(facts: Facts, fields: readonly FieldFacts[], opts: FigureOptions, coders: readonly string[]): LeniencyFigure[] {
  const out: LeniencyFigure[] = [];
  for (const f of fields) {
    if (f.info.aspect !== 'score' || f.info.level !== 'ordinal') continue;
    const ratings = ratingsOf(facts, f, answeredUnits(f));
    if (ratings.select.length === 0 || !numbersOnly(f)) continue;
    for (const r of leniency(ratings, { bootstrap: opts.bootstrap })) {
      if (!coders.includes(r.coder)) continue;
      out.push({ field: f.info.id, label: f.info.label, coder: r.coder, units: r.units, value: asFigure(r), meanScore: r.meanScore, othersMean: r.othersMean });
    }
  }
  return out;
}

/** Dawid–Skene on the categorical fields where some unit has three or more coders; gold units are controls. */
export function dawidSkeneFigures(facts: Facts, fields: readonly FieldFacts[], coders: readonly string[]): DawidSkeneFigures[] {
  const out: DawidSkeneFigures[] = [];
  for (const f of fields) {
    if (f.info.level !== 'nominal' || f.info.aspect === 'first_error') continue;
    if (!f.answered.some((k) => k >= 3)) continue;
    const r = dawidSkene({ kind: 'columns', columns: f.columns, dictionary: f.dictionary, coders: facts.coderIds, select: answeredUnits(f), gold: f.gold }, { coderEstimatesOnly: true });
    const base = { field: f.info.id, label: f.info.label, excludedUnits: r.excludedUnits };
    if (!r.defined) {
      out.push({ ...base, defined: false, message: r.message, units: 0, coders: [] });
      continue;
    }
    out.push({ ...base, defined: true, message: null, units: r.unitsUsed, coders: r.coders.filter((c) => coders.includes(c.coder)).map((c) => ({ coder: c.coder, accuracy: c.accuracy, units: c.units })) });
  }
  return out;
}

/** Model judges as coders: alpha with each expert, the experts' own alpha on the same units, accuracy against adjudication, position bias. */
export function judgeFigures(facts: Facts, fields: readonly FieldFacts[], opts: FigureOptions): JudgeFigures[] {
  const models = new Set<string>();
  for (const f of fields) for (const m of f.judges.keys()) models.add(m);
  const judgeTrials = trialsBy(facts.judgeTrials);
  return [...models].sort().map((model) => {
    const out: JudgeFigures['fields'][number][] = [];
    for (const f of fields) {
      const answers = f.judges.get(model);
      if (f.info.aspect === 'strength' || !answers) continue;
      const n = unitCount(f);
      const judged = new Int32Array(n);
      let k = 0;
      for (let u = 0; u < n; u++) if (answers[u]! >= 0 && f.answered[u]! > 0) judged[k++] = u;
      const withJudge = judged.subarray(0, k);
      if (withJudge.length === 0) continue;
      // The judge's column beside each expert's: pairs (judge, expert) over the judged units.
      const experts = f.columns.map((_, c) => [0, c + 1] as [number, number]);
      const coded = columnPairs({ columns: [answers, ...f.columns], dictionary: f.dictionary }, experts, withJudge, (present) => knownCategories(f.info, present), { ordered: false, metric: f.info.label });
      const withExperts: JudgeFieldFigures['withExperts'][number][] = [];
      coded.forEach((pair, c) => {
        if (pair) withExperts.push({ ...alphaOf(f.info, pair.input, opts.bootstrap, pair.input.given), coder: facts.coderIds[c]!, units: pair.units });
      });
      withExperts.sort((a, b) => (a.coder < b.coder ? -1 : 1));
      const alone = fieldUnits(f, withJudge);
      const expertsAlone = alphaOf(f.info, alone.units, opts.bootstrap, alone.categories);
      const adjudicated = withJudge.filter((u) => f.adjudicated[u]! >= 0);
      const [r] = adjudicated.length > 0 ? referenceAgreement({ kind: 'columns', columns: [answers], dictionary: f.dictionary, coders: [model], select: adjudicated }, f.adjudicated, { bootstrap: opts.bootstrap }) : [];
      const vsAdjudicated: AccuracyFigure = r
        ? { field: f.info.id, label: f.info.label, units: r.units, matches: r.matches, value: asFigure(r), within1: null }
        : { field: f.info.id, label: f.info.label, units: 0, matches: 0, value: undefinedFigure('no_shared_units', 'no adjudicated answer to compare with'), within1: null };
      out.push({ field: f.info.id, label: f.info.label, withExperts, expertsAlone, vsAdjudicated, units: withJudge.length });
    }
    const rows = judgeTrials[facts.judgeTrials.models.indexOf(model)];
    return { model, fields: out, positionBias: rows && rows.length > 0 ? biasFigure(model, positionBias({ ...facts.judgeTrials, rows })) : null };
  });
}

export function failureCounts(facts: Facts): FailureCount[] {
  return facts.failures
    .map((f) => ({ bundleId: f.bundleId, version: f.bundleVersion, errorType: f.errorType, label: facts.errorLabels.get(f.errorType) ?? f.errorType, steps: f.steps, exemplars: f.exemplars, highlights: f.highlights, total: f.steps + f.exemplars + f.highlights }))
    .sort((a, b) => (a.bundleId !== b.bundleId ? (a.bundleId < b.bundleId ? -1 : 1) : a.version !== b.version ? a.version - b.version : b.total - a.total || (a.errorType < b.errorType ? -1 : 1)));
}
