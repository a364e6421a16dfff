/**
 * Dawid & Skene (1979), "Maximum likelihood estimation of observer error-rates using the EM
 * algorithm": each coder has a confusion matrix P(says l | true class k), classes have prior
 * shares, and EM alternates between the units' class posteriors and those parameters.
 *
 * Advisory only: it estimates each coder's reliability on a categorical field, never decides an
 * answer. Used on units with three or more coders; gold units take part with one coder or more,
 * their class fixed to the gold answer (the controls anchoring the estimates).
 * Deterministic: starts from vote shares, no random restarts; stops at `tolerance` or
 * `maxIterations`. Additive smoothing keeps a never-seen confusion from being certain.
 */
import { isColumnRatings, ratedColumns, type ColumnRatings } from './columns.ts';
import { asTable, categoriesOf, indexRatings, type RatingsInput, type RatingTable } from './data.ts';
import type { Rating, Undefined, Value } from './types.ts';
import { AgreementInputError, undefinedFigure } from './types.ts';

export interface DawidSkeneOptions {
  /** Gold answers by unit id: those units' classes are fixed. */
  readonly gold?: ReadonlyMap<string, Value>;
  readonly categories?: readonly Value[];
  /** Coders a non-gold unit needs to take part (default 3). */
  readonly minCoders?: number;
  readonly maxIterations?: number;
  /** Stop when the log-likelihood changes by less than this, relatively (default 1e-7). */
  readonly tolerance?: number;
  /** Added to every confusion and prior count (default 0.01). */
  readonly smoothing?: number;
  /** Leave out the per-unit verdicts (`units` is then empty; `unitsUsed` still counts them). */
  readonly coderEstimatesOnly?: boolean;
}

export interface DawidSkeneCoder {
  readonly coder: string;
  /** Estimated probability of giving the true class: Σ_k prior_k · P(k | k). */
  readonly accuracy: number;
  /** confusion[k][l] = P(says categories[l] | true class categories[k]). */
  readonly confusion: readonly (readonly number[])[];
  /** Units this coder rated among those used. */
  readonly units: number;
}

export interface DawidSkeneUnit {
  readonly unit: string;
  /** Most probable class (lowest category index on a tie) and its posterior probability. */
  readonly label: Value;
  readonly probability: number;
  readonly posterior: readonly number[];
  readonly gold: boolean;
}

export interface DawidSkeneEstimate {
  readonly defined: true;
  readonly categories: readonly Value[];
  readonly priors: readonly number[];
  readonly coders: readonly DawidSkeneCoder[];
  readonly units: readonly DawidSkeneUnit[];
  readonly iterations: number;
  readonly converged: boolean;
  readonly logLikelihood: number;
}

export type DawidSkeneResult = (DawidSkeneEstimate | Undefined) & {
  /** Units the estimate used (rated by minCoders or more, or gold). */
  readonly unitsUsed: number;
  /** Units left out: fewer coders than `minCoders` and no gold answer. */
  readonly excludedUnits: number;
};

function sortValues(values: Value[]): Value[] {
  return values.sort((a, b) => (typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : typeof a === 'number' ? -1 : 1));
}

/** Units that share their answers (coder, label)… and gold label: EM treats them as one, weighted. */
interface Group {
  readonly coders: Int32Array;
  readonly labels: Int32Array;
  readonly gold: number;
  weight: number;
}

/**
 * What EM needs, whatever the input's shape: the coders (numbered as the groups number them),
 * the units used (named by `unitId`), their groups in the order first met, and the categories.
 */
interface Prepared {
  readonly coderIds: readonly string[];
  readonly unitId: (u: number) => string;
  readonly used: ArrayLike<number>;
  readonly excludedUnits: number;
  readonly categories: readonly Value[];
  readonly groups: readonly Group[];
  /** The group (index into `groups`) of each used unit, as `used` orders them. */
  readonly groupOfUsed: Int32Array;
}

interface Settings {
  readonly minCoders: number;
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly smoothing: number;
}

function settingsOf(opts: DawidSkeneOptions): Settings {
  const minCoders = opts.minCoders ?? 3;
  const maxIterations = opts.maxIterations ?? 100;
  const tolerance = opts.tolerance ?? 1e-7;
  const smoothing = opts.smoothing ?? 0.01;
  if (!Number.isInteger(minCoders) || minCoders < 1) throw new AgreementInputError(`minCoders must be a whole number ≥ 1 (got ${minCoders})`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new AgreementInputError(`maxIterations must be a whole number ≥ 1 (got ${maxIterations})`);
  if (!(tolerance >= 0)) throw new AgreementInputError(`tolerance must be ≥ 0 (got ${tolerance})`);
  // Without smoothing, a label a coder never gave would be impossible, and a unit with it undefined.
  if (!(smoothing > 0)) throw new AgreementInputError(`smoothing must be > 0 (got ${smoothing})`);
  return { minCoders, maxIterations, tolerance, smoothing };
}

export function dawidSkene(ratings: RatingsInput | ColumnRatings, opts: DawidSkeneOptions = {}): DawidSkeneResult {
  const settings = settingsOf(opts);
  const p = Array.isArray(ratings)
    ? prepareLongForm(listLongForm(ratings as readonly Rating[], opts), opts, settings.minCoders)
    : isColumnRatings(ratings)
      ? prepareColumns(ratings, opts, settings.minCoders)
      : prepareLongForm(tableLongForm(ratings as RatingTable, opts), opts, settings.minCoders);
  if (p.used.length === 0) return { ...undefinedFigure('no_pairable_values', `no unit has ${settings.minCoders} or more coders or a gold answer`), excludedUnits: p.excludedUnits, unitsUsed: 0 };
  return estimate(p, settings, opts.coderEstimatesOnly ?? false);
}

/** Nothing to estimate: no unit qualified (the categories are then not even checked). */
function nothingUsed(coderIds: readonly string[], unitId: (u: number) => string, excludedUnits: number): Prepared {
  return { coderIds, unitId, used: [], excludedUnits, categories: [], groups: [], groupOfUsed: new Int32Array(0) };
}

/** The categories given (checked), or the values found among the used units and their gold answers, sorted. */
function categoriesFor(opts: DawidSkeneOptions, found: () => Iterable<Value>): readonly Value[] {
  if (opts.categories) return categoriesOf([], { categories: opts.categories, ordered: false, metric: 'Dawid–Skene' });
  return sortValues([...new Set(found())]);
}

/**
 * Groups units as they are added: a unit's key is its number of ratings, its gold label and its
 * (coder, label) pairs, coders ascending; a number when the digits fit in a double's 52 bits,
 * else a string. The count leads so that keys of units with different numbers of ratings never
 * meet (without it, a unit with no gold answer and one rating more could take a gold unit's
 * key). Groups keep the order first met, which fixes the order of EM's sums. Numeric keys
 * below (maxRatings + 1)·(K + 1)·base^maxRatings index a dense table when that is small (a few
 * coders and categories, the usual case), else a map: the same keys either way, so the same
 * groups.
 */
class Grouping {
  private readonly list: Group[] = [];
  /** Group index of each unit added, in order (typed: no array of pointers to grow and trace). */
  readonly ofUnit: Int32Array;
  private added = 0;
  private readonly byKey = new Map<number | string, number>();
  /** Group index + 1 by numeric key, 0 where not met yet. */
  private readonly dense: Int32Array | null;
  private readonly base: number;
  private readonly numericKeys: boolean;

  constructor(
    coders: number,
    private readonly K: number,
    maxRatings: number,
    units: number,
  ) {
    this.ofUnit = new Int32Array(units);
    this.base = coders * K + 1;
    this.numericKeys = Math.log2(maxRatings + 1) + Math.log2(K + 1) + maxRatings * Math.log2(this.base) < 52;
    const keySpace = (maxRatings + 1) * (K + 1) * this.base ** maxRatings;
    this.dense = this.numericKeys && keySpace <= Math.max(1 << 16, 2 * units) ? new Int32Array(keySpace) : null;
  }

  /** Adds a unit with m ratings (coders sc, ascending; labels sl) and gold label `gold` (−1: none). */
  add(sc: Int32Array, sl: Int32Array, m: number, gold: number): void {
    const next = this.list.length;
    let at: number;
    if (this.numericKeys) {
      let key = m * (this.K + 1) + gold + 1;
      for (let j = 0; j < m; j++) key = key * this.base + sc[j]! * this.K + sl[j]! + 1;
      if (this.dense) {
        at = this.dense[key]! - 1;
        if (at < 0) this.dense[key] = next + 1;
      } else {
        at = this.byKey.get(key) ?? -1;
        if (at < 0) this.byKey.set(key, next);
      }
    } else {
      const key = `${gold}|${Array.prototype.join.call(sc.subarray(0, m), ',')}|${Array.prototype.join.call(sl.subarray(0, m), ',')}`;
      at = this.byKey.get(key) ?? -1;
      if (at < 0) this.byKey.set(key, next);
    }
    if (at >= 0) this.list[at]!.weight++;
    else this.list.push({ coders: sc.slice(0, m), labels: sl.slice(0, m), gold, weight: 1 });
    this.ofUnit[this.added++] = at >= 0 ? at : next;
  }

  groups(): readonly Group[] {
    return this.list;
  }
}

/** Ratings in long form: unit, coder and value index of each, values in order of appearance. */
interface LongForm {
  readonly unitCount: number;
  readonly unitId: (u: number) => string;
  readonly coderIds: readonly string[];
  readonly unitOf: Int32Array;
  readonly coderOf: Int32Array;
  readonly valueOf: Int32Array;
  readonly values: readonly Value[];
  readonly goldOf: (u: number) => Value | undefined;
}

/** Numbers values in order of appearance, refusing what is not a value. */
function valueCoder(): { values: Value[]; code: (v: Value, unit: string, coder: string) => number } {
  const valueIndex = new Map<Value, number>();
  const values: Value[] = [];
  const code = (v: Value, unit: string, coder: string): number => {
    let i = valueIndex.get(v);
    if (i === undefined) {
      if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') throw new AgreementInputError(`unit "${unit}", coder "${coder}": ${String(v)} is not a value`);
      valueIndex.set(v, (i = values.length));
      values.push(v);
    }
    return i;
  };
  return { values, code };
}

function listLongForm(list: readonly Rating[], opts: DawidSkeneOptions): LongForm {
  const { values, code } = valueCoder();
  const { units: ids, coders, unitOf, coderOf } = indexRatings(list);
  const valueOf = new Int32Array(list.length);
  list.forEach((r, i) => void (valueOf[i] = code(r.value, r.unit, r.coder)));
  const unitId = (u: number): string => ids[u]!;
  return { unitCount: ids.length, unitId, coderIds: coders, unitOf, coderOf, valueOf, values, goldOf: (u) => opts.gold?.get(unitId(u)) };
}

function tableLongForm(table: RatingTable, opts: DawidSkeneOptions): LongForm {
  const t = asTable(table);
  const { values, code } = valueCoder();
  const us: number[] = [];
  const cs: number[] = [];
  const vs: number[] = [];
  t.matrix.forEach((row, c) =>
    row.forEach((v, u) => {
      if (v === null || v === undefined) return;
      us.push(u);
      cs.push(c);
      vs.push(code(v, t.units[u]!, t.coders[c]!));
    }),
  );
  const unitId = (u: number): string => t.units[u]!;
  return { unitCount: t.units.length, unitId, coderIds: [...t.coders], unitOf: Int32Array.from(us), coderOf: Int32Array.from(cs), valueOf: Int32Array.from(vs), values, goldOf: (u) => opts.gold?.get(unitId(u)) };
}

/** Long-form ratings sorted by unit, checked (one rating per coder and unit), and grouped. */
function prepareLongForm(long: LongForm, opts: DawidSkeneOptions, minCoders: number): Prepared {
  const { unitCount, unitId, coderIds, unitOf, coderOf, valueOf, values, goldOf } = long;
  const R = unitOf.length;
  // Each unit's ratings, by a counting sort on the unit.
  const offsets = new Int32Array(unitCount + 1);
  for (let i = 0; i < R; i++) offsets[unitOf[i]! + 1]!++;
  for (let u = 0; u < unitCount; u++) offsets[u + 1]! += offsets[u]!;
  const byUnit = new Int32Array(R);
  const fill = offsets.slice(0, unitCount);
  for (let i = 0; i < R; i++) byUnit[fill[unitOf[i]!]!++] = i;

  const used: number[] = [];
  let excludedUnits = 0;
  for (let u = 0; u < unitCount; u++) {
    const m = offsets[u + 1]! - offsets[u]!;
    if (m >= minCoders || (m >= 1 && goldOf(u) !== undefined)) used.push(u);
    else excludedUnits++;
  }
  if (used.length === 0) return nothingUsed(coderIds, unitId, excludedUnits);

  const categories = categoriesFor(opts, function* () {
    for (const u of used) {
      for (let j = offsets[u]!; j < offsets[u + 1]!; j++) yield values[valueOf[byUnit[j]!]!]!;
      const g = goldOf(u);
      if (g !== undefined) yield g;
    }
  });
  const K = categories.length;
  const index = new Map<Value, number>(categories.map((c, i) => [c, i]));
  const labelOfValue = Int32Array.from(values, (v) => index.get(v) ?? -1);

  // Group identical units (same coders, same answers, same gold answer).
  const maxM = used.reduce((m, u) => Math.max(m, offsets[u + 1]! - offsets[u]!), 0);
  const grouping = new Grouping(coderIds.length, K, maxM, used.length);
  const sc = new Int32Array(maxM);
  const sl = new Int32Array(maxM);
  for (const u of used) {
    const m = offsets[u + 1]! - offsets[u]!;
    for (let j = 0; j < m; j++) {
      const i = byUnit[offsets[u]! + j]!;
      const l = labelOfValue[valueOf[i]!]!;
      if (l < 0) throw new AgreementInputError(`unit "${unitId(u)}": ${String(values[valueOf[i]!])} is not one of the categories`);
      // Insertion sort by coder: units hold a handful of ratings.
      let at = j;
      while (at > 0 && sc[at - 1]! > coderOf[i]!) {
        sc[at] = sc[at - 1]!;
        sl[at] = sl[at - 1]!;
        at--;
      }
      if (at > 0 && sc[at - 1] === coderOf[i]) throw new AgreementInputError(`coder "${coderIds[coderOf[i]!]}" rated unit "${unitId(u)}" twice; pass one rating (the latest revision) per coder and unit`);
      sc[at] = coderOf[i]!;
      sl[at] = l;
    }
    const g = goldOf(u);
    const gold = g === undefined ? -1 : index.get(g);
    if (gold === undefined) throw new AgreementInputError(`gold answer for unit "${unitId(u)}" (${String(g)}) is not one of the categories`);
    grouping.add(sc, sl, m, gold);
  }
  return { coderIds, unitId, used, excludedUnits, categories, groups: grouping.groups(), groupOfUsed: grouping.ofUnit };
}

/**
 * Column ratings read directly, with no long form: the kept columns (coders with a rating among
 * the selected units, in column order), so each unit's coders come already ascending and at
 * most once; labels and gold labels through a code → label table. Gives exactly what the long
 * form of the same ratings (coder by coder, units in `select` order) gives.
 */
function prepareColumns(ratings: ColumnRatings, opts: DawidSkeneOptions, minCoders: number): Prepared {
  const { select } = ratings;
  const kept = ratedColumns(ratings.columns, select);
  const columns = kept.map((c) => ratings.columns[c]!);
  const coderIds = kept.map((c) => ratings.coders[c]!);
  const unitId = (i: number): string => String(select[i]);
  checkDictionary(ratings.dictionary);
  const { dictionary, codes: goldCode } = goldCodes(ratings, opts);

  // Units used, in `select` order, and the dictionary codes among them (and their gold) in the order first met.
  const C = columns.length;
  const used = new Int32Array(select.length);
  let U = 0;
  let maxM = 0;
  const met = new Uint8Array(dictionary.length);
  const found: number[] = [];
  const meet = (g: number): void => {
    if (met[g]) return;
    met[g] = 1;
    found.push(g);
  };
  for (let i = 0; i < select.length; i++) {
    const u = select[i]!;
    let m = 0;
    for (let c = 0; c < C; c++) if (columns[c]![u]! >= 0) m++;
    const gold = goldCode[i]!;
    if (!(m >= minCoders || (m >= 1 && gold >= 0))) continue;
    used[U++] = i;
    if (m > maxM) maxM = m;
    for (let c = 0; c < C; c++) {
      const g = columns[c]![u]!;
      if (g >= 0) meet(g);
    }
    if (gold >= 0) meet(gold);
  }
  const excludedUnits = select.length - U;
  if (U === 0) return nothingUsed(coderIds, unitId, excludedUnits);

  // The Set keeps the first of values equal as SameValueZero (0 and −0), as the long form's does.
  const categories = categoriesFor(opts, () => found.map((g) => dictionary[g]!));
  const index = new Map<Value, number>(categories.map((v, k) => [v, k]));
  const labelOf = Int32Array.from(dictionary, (v) => index.get(v) ?? -1);

  const grouping = new Grouping(C, categories.length, maxM, U);
  const sc = new Int32Array(maxM);
  const sl = new Int32Array(maxM);
  for (let n = 0; n < U; n++) {
    const i = used[n]!;
    const u = select[i]!;
    let m = 0;
    for (let c = 0; c < C; c++) {
      const g = columns[c]![u]!;
      if (g < 0) continue;
      const l = labelOf[g]!;
      if (l < 0) throw new AgreementInputError(`unit "${unitId(i)}": ${String(dictionary[g])} is not one of the categories`);
      sc[m] = c;
      sl[m++] = l;
    }
    const g = goldCode[i]!;
    const gold = g >= 0 ? labelOf[g]! : -1;
    if (g >= 0 && gold < 0) throw new AgreementInputError(`gold answer for unit "${unitId(i)}" (${String(dictionary[g])}) is not one of the categories`);
    grouping.add(sc, sl, m, gold);
  }
  return { coderIds, unitId, used: used.subarray(0, U), excludedUnits, categories, groups: grouping.groups(), groupOfUsed: grouping.ofUnit };
}

/** Every dictionary entry must be a value, used or not (a column store holding NaN is broken). */
function checkDictionary(dictionary: readonly Value[]): void {
  dictionary.forEach((v, g) => {
    if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') throw new AgreementInputError(`value ${g + 1} of the column dictionary: ${String(v)} is not a value`);
  });
}

/**
 * Gold answers as dictionary codes of the selected units (−1 where none: NO_CODE, or a code
 * naming no entry). Without column gold, `opts.gold` names units as `select` does; its answers
 * may lie outside the dictionary, so they are coded past its end, in a copy.
 */
function goldCodes(ratings: ColumnRatings, opts: DawidSkeneOptions): { dictionary: readonly Value[]; codes: Int32Array } {
  const { gold, select } = ratings;
  const codes = new Int32Array(select.length).fill(-1);
  if (gold) {
    const D = ratings.dictionary.length;
    for (let i = 0; i < select.length; i++) {
      const g = gold[select[i]!];
      if (g !== undefined && g >= 0 && g < D) codes[i] = g;
    }
    return { dictionary: ratings.dictionary, codes };
  }
  if (!opts.gold) return { dictionary: ratings.dictionary, codes };
  const dictionary = [...ratings.dictionary];
  const extra = new Map<Value, number>();
  for (let i = 0; i < select.length; i++) {
    const v = opts.gold.get(String(select[i]));
    if (v === undefined) continue;
    let g = extra.get(v);
    if (g === undefined) extra.set(v, (g = dictionary.push(v) - 1));
    codes[i] = g;
  }
  return { dictionary, codes };
}

/** EM from vote shares, then each coder's confusion and accuracy and each used unit's verdict. */
function estimate(prepared: Prepared, settings: Settings, coderEstimatesOnly: boolean): DawidSkeneEstimate & DawidSkeneResult {
  const { coderIds, categories, used, unitId } = prepared;
  const G = prepared.groups;
  const { maxIterations, tolerance, smoothing: s } = settings;
  const C = coderIds.length;
  const K = categories.length;
  const U = used.length;

  // Posteriors per group, initialised from vote shares (gold: certain).
  const T = G.map((g) => {
    const t = new Float64Array(K);
    if (g.gold >= 0) t[g.gold] = 1;
    else for (const l of g.labels) t[l]! += 1 / g.labels.length;
    return t;
  });
  const prior = new Float64Array(K);
  const conf = new Float64Array(C * K * K);
  const rowTotals = new Float64Array(C * K);
  const logPrior = new Float64Array(K);
  const logConf = new Float64Array(C * K * K);
  const scratch = new Float64Array(K);
  let logLikelihood = -Infinity;
  let iterations = 0;
  let converged = false;

  while (iterations < maxIterations) {
    iterations++;
    // M step: priors and confusion matrices from the weighted posteriors.
    prior.fill(s);
    conf.fill(s);
    rowTotals.fill(K * s);
    G.forEach((g, i) => {
      const t = T[i]!;
      for (let k = 0; k < K; k++) {
        const w = g.weight * t[k]!;
        prior[k]! += w;
        for (let j = 0; j < g.coders.length; j++) {
          conf[(g.coders[j]! * K + k) * K + g.labels[j]!]! += w;
          rowTotals[g.coders[j]! * K + k]! += w;
        }
      }
    });
    for (let k = 0; k < K; k++) logPrior[k] = Math.log(prior[k]! / (U + K * s));
    for (let i = 0; i < C * K * K; i++) logConf[i] = Math.log(conf[i]! / rowTotals[Math.floor(i / K)]!);
    // E step: each group's posterior, and the log-likelihood.
    let ll = 0;
    G.forEach((g, i) => {
      for (let k = 0; k < K; k++) {
        let v = logPrior[k]!;
        for (let j = 0; j < g.coders.length; j++) v += logConf[(g.coders[j]! * K + k) * K + g.labels[j]!]!;
        scratch[k] = v;
      }
      if (g.gold >= 0) {
        ll += g.weight * scratch[g.gold]!;
        return;
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (scratch[k]! > max) max = scratch[k]!;
      let total = 0;
      for (let k = 0; k < K; k++) total += scratch[k] = Math.exp(scratch[k]! - max);
      ll += g.weight * (max + Math.log(total));
      for (let k = 0; k < K; k++) T[i]![k] = scratch[k]! / total;
    });
    const change = Math.abs(ll - logLikelihood);
    logLikelihood = ll;
    if (change <= tolerance * Math.max(1, Math.abs(ll))) {
      converged = true;
      break;
    }
  }

  const priors = Array.from(prior, (p) => p / (U + K * s));
  const ratedUnits = new Int32Array(C);
  for (const g of G) for (const c of g.coders) ratedUnits[c]! += g.weight;
  const coders: DawidSkeneCoder[] = coderIds.map((coder, c) => {
    const confusion = Array.from({ length: K }, (_, k) => Array.from({ length: K }, (_, l) => conf[(c * K + k) * K + l]! / rowTotals[c * K + k]!));
    return { coder, accuracy: priors.reduce((acc, p, k) => acc + p * confusion[k]![k]!, 0), confusion, units: ratedUnits[c]! };
  });
  // Units of a group share one posterior (and one array).
  const verdicts = G.map((g, i) => {
    const posterior = Array.from(T[i]!);
    let best = 0;
    for (let k = 1; k < K; k++) if (posterior[k]! > posterior[best]!) best = k;
    return { label: categories[best]!, probability: posterior[best]!, posterior, gold: g.gold >= 0 };
  });
  const units: DawidSkeneUnit[] = [];
  if (!coderEstimatesOnly)
    for (let i = 0; i < U; i++) {
      const v = verdicts[prepared.groupOfUsed[i]!]!;
      units.push({ unit: unitId(used[i]!), label: v.label, probability: v.probability, posterior: v.posterior, gold: v.gold });
    }
  return { defined: true, categories, priors, coders, units, iterations, converged, logLikelihood, excludedUnits: prepared.excludedUnits, unitsUsed: U };
}
