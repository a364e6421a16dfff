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
import type { Columns } from './columns.ts';
import { asTable, categoriesOf, type RatingsInput, type RatingTable } from './data.ts';
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

/**
 * Ratings already held in columns (the dashboard's column store): one column per coder over
 * the same units, codes into one dictionary. Unit i of the estimate is `select[i]`.
 */
export interface ColumnRatings extends Columns {
  readonly kind: 'columns';
  /** The coder each column belongs to. */
  readonly coders: readonly string[];
  readonly select: ArrayLike<number>;
  /** Gold answers' codes by unit (as `select` names units), NO_CODE where none: used instead of `gold`. */
  readonly gold?: Int32Array;
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

export function dawidSkene(ratings: RatingsInput | ColumnRatings, opts: DawidSkeneOptions = {}): DawidSkeneResult {
  const minCoders = opts.minCoders ?? 3;
  const maxIterations = opts.maxIterations ?? 100;
  const tolerance = opts.tolerance ?? 1e-7;
  const s = opts.smoothing ?? 0.01;
  if (!Number.isInteger(minCoders) || minCoders < 1) throw new AgreementInputError(`minCoders must be a whole number ≥ 1 (got ${minCoders})`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new AgreementInputError(`maxIterations must be a whole number ≥ 1 (got ${maxIterations})`);
  if (!(tolerance >= 0)) throw new AgreementInputError(`tolerance must be ≥ 0 (got ${tolerance})`);
  // Without smoothing, a label a coder never gave would be impossible, and a unit with it undefined.
  if (!(s > 0)) throw new AgreementInputError(`smoothing must be > 0 (got ${s})`);

  // One pass over the ratings: unit, coder and value indices (values in order of appearance).
  const valueIndex = new Map<Value, number>();
  const values: Value[] = [];
  const valueCode = (v: Value, unit: string, coder: string): number => {
    let i = valueIndex.get(v);
    if (i === undefined) {
      if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') throw new AgreementInputError(`unit "${unit}", coder "${coder}": ${String(v)} is not a value`);
      valueIndex.set(v, (i = values.length));
      values.push(v);
    }
    return i;
  };
  let unitIds: (u: number) => string;
  let unitCount: number;
  let coderIds: string[];
  let unitOf: Int32Array;
  let coderOf: Int32Array;
  let valueOf: Int32Array;
  let goldOf = (u: number): Value | undefined => opts.gold?.get(unitIds(u));
  if (Array.isArray(ratings)) {
    const list = ratings as readonly Rating[];
    const unitIndex = new Map<string, number>();
    const coderIndex = new Map<string, number>();
    unitOf = new Int32Array(list.length);
    coderOf = new Int32Array(list.length);
    valueOf = new Int32Array(list.length);
    list.forEach((r, i) => {
      let u = unitIndex.get(r.unit);
      if (u === undefined) unitIndex.set(r.unit, (u = unitIndex.size));
      let c = coderIndex.get(r.coder);
      if (c === undefined) coderIndex.set(r.coder, (c = coderIndex.size));
      unitOf[i] = u;
      coderOf[i] = c;
      valueOf[i] = valueCode(r.value, r.unit, r.coder);
    });
    const ids = [...unitIndex.keys()];
    unitIds = (u) => ids[u]!;
    unitCount = ids.length;
    coderIds = [...coderIndex.keys()];
  } else if ('kind' in ratings && ratings.kind === 'columns') {
    // Coder-major, as a table's rows are read; coders without a rating here are left out, as from a table.
    const { columns, dictionary, select } = ratings;
    let R = 0;
    const kept: number[] = [];
    columns.forEach((col, c) => {
      let n = 0;
      for (let i = 0; i < select.length; i++) if (col[select[i]!]! >= 0) n++;
      if (n > 0) kept.push(c);
      R += n;
    });
    unitOf = new Int32Array(R);
    coderOf = new Int32Array(R);
    valueOf = new Int32Array(R);
    let at = 0;
    kept.forEach((c, k) => {
      const col = columns[c]!;
      for (let i = 0; i < select.length; i++) {
        const g = col[select[i]!]!;
        if (g < 0) continue;
        unitOf[at] = i;
        coderOf[at] = k;
        valueOf[at++] = g;
      }
    });
    // The dictionary's codes are the value indices.
    dictionary.forEach((v, g) => {
      if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') throw new AgreementInputError(`value ${g + 1} of the column dictionary: ${String(v)} is not a value`);
      valueIndex.set(v, g);
      values.push(v);
    });
    unitIds = (u) => String(select[u]);
    unitCount = select.length;
    coderIds = kept.map((c) => ratings.coders[c]!);
    const gold = ratings.gold;
    if (gold) goldOf = (u) => dictionary[gold[select[u]!]!]; // NO_CODE (−1) names no entry
  } else {
    const t = asTable(ratings as RatingTable);
    const us: number[] = [];
    const cs: number[] = [];
    const vs: number[] = [];
    t.matrix.forEach((row, c) =>
      row.forEach((v, u) => {
        if (v === null || v === undefined) return;
        us.push(u);
        cs.push(c);
        vs.push(valueCode(v, t.units[u]!, t.coders[c]!));
      }),
    );
    unitIds = (u) => t.units[u]!;
    unitCount = t.units.length;
    coderIds = [...t.coders];
    unitOf = Int32Array.from(us);
    coderOf = Int32Array.from(cs);
    valueOf = Int32Array.from(vs);
  }
  const R = unitOf.length;
  const C = coderIds.length;
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
  if (used.length === 0) return { ...undefinedFigure('no_pairable_values', `no unit has ${minCoders} or more coders or a gold answer`), excludedUnits, unitsUsed: 0 };

  let categories: readonly Value[];
  if (opts.categories) categories = categoriesOf([], { categories: opts.categories, ordered: false, metric: 'Dawid–Skene' });
  else {
    const found = new Set<Value>();
    for (const u of used) {
      for (let j = offsets[u]!; j < offsets[u + 1]!; j++) found.add(values[valueOf[byUnit[j]!]!]!);
      const g = goldOf(u);
      if (g !== undefined) found.add(g);
    }
    categories = sortValues([...found]);
  }
  const K = categories.length;
  const index = new Map<Value, number>(categories.map((c, i) => [c, i]));
  const labelOfValue = Int32Array.from(values, (v) => index.get(v) ?? -1);

  // Group identical units (same coders, same answers, same gold answer).
  const groups = new Map<number | string, Group>();
  const groupOfUnit: Group[] = [];
  const maxM = used.reduce((m, u) => Math.max(m, offsets[u + 1]! - offsets[u]!), 0);
  const sc = new Int32Array(maxM);
  const sl = new Int32Array(maxM);
  const B = C * K + 1;
  const numericKeys = (maxM + 1) * Math.log2(B + K + 1) < 52;
  for (const u of used) {
    const m = offsets[u + 1]! - offsets[u]!;
    for (let j = 0; j < m; j++) {
      const i = byUnit[offsets[u]! + j]!;
      const l = labelOfValue[valueOf[i]!]!;
      if (l < 0) throw new AgreementInputError(`unit "${unitIds(u)}": ${String(values[valueOf[i]!])} is not one of the categories`);
      // Insertion sort by coder: units hold a handful of ratings.
      let at = j;
      while (at > 0 && sc[at - 1]! > coderOf[i]!) {
        sc[at] = sc[at - 1]!;
        sl[at] = sl[at - 1]!;
        at--;
      }
      if (at > 0 && sc[at - 1] === coderOf[i]) throw new AgreementInputError(`coder "${coderIds[coderOf[i]!]}" rated unit "${unitIds(u)}" twice; pass one rating (the latest revision) per coder and unit`);
      sc[at] = coderOf[i]!;
      sl[at] = l;
    }
    const g = goldOf(u);
    const gold = g === undefined ? -1 : index.get(g);
    if (gold === undefined) throw new AgreementInputError(`gold answer for unit "${unitIds(u)}" (${String(g)}) is not one of the categories`);
    let key: number | string;
    if (numericKeys) {
      key = gold + 1;
      for (let j = 0; j < m; j++) key = key * B + sc[j]! * K + sl[j]! + 1;
    } else key = `${gold}|${Array.prototype.join.call(sc.subarray(0, m), ',')}|${Array.prototype.join.call(sl.subarray(0, m), ',')}`;
    let group = groups.get(key);
    if (group) group.weight++;
    else groups.set(key, (group = { coders: sc.slice(0, m), labels: sl.slice(0, m), gold, weight: 1 }));
    groupOfUnit.push(group);
  }
  const G = [...groups.values()];
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
  const verdicts = new Map(
    G.map((g, i) => {
      const posterior = Array.from(T[i]!);
      let best = 0;
      for (let k = 1; k < K; k++) if (posterior[k]! > posterior[best]!) best = k;
      return [g, { label: categories[best]!, probability: posterior[best]!, posterior, gold: g.gold >= 0 }];
    }),
  );
  const units: DawidSkeneUnit[] = opts.coderEstimatesOnly ? [] : used.map((u, i) => {
    const v = verdicts.get(groupOfUnit[i]!)!;
    return { unit: unitIds(u)!, label: v.label, probability: v.probability, posterior: v.posterior, gold: v.gold };
  });
  return { defined: true, categories, priors, coders, units, iterations, converged, logLikelihood, excludedUnits, unitsUsed: U };
}
