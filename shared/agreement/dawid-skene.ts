/**
 * Dawid & Skene (1979), "Maximum likelihood estimation of observer error-rates using the EM
 * algorithm": each coder has a confusion matrix P(says l | true class k), classes have prior
 * shares, and EM alternates between the units' class posteriors and those parameters.
 *
 * Advisory only: it estimates each coder's reliability on a categorical field, never decides an
 * answer. Used on units with three or more coders; gold units take part whatever their number
 * of coders, with their class fixed to the gold answer (the controls anchoring the estimates).
 * Deterministic: starts from vote shares, no random restarts; stops at `tolerance` or
 * `maxIterations`. Additive smoothing keeps a never-seen confusion from being certain.
 */
import { categoriesOf, tableFromRatings } from './data.ts';
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
  /** Units left out: fewer coders than `minCoders` and no gold answer. */
  readonly excludedUnits: number;
};

function sortValues(values: Value[]): Value[] {
  return values.sort((a, b) => (typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : typeof a === 'number' ? -1 : 1));
}

export function dawidSkene(ratings: readonly Rating[], opts: DawidSkeneOptions = {}): DawidSkeneResult {
  const minCoders = opts.minCoders ?? 3;
  const maxIterations = opts.maxIterations ?? 100;
  const tolerance = opts.tolerance ?? 1e-7;
  const s = opts.smoothing ?? 0.01;
  const t = tableFromRatings(ratings);
  const C = t.coders.length;

  // The units used, and their observations (coder, label) flattened.
  const used: number[] = [];
  let excludedUnits = 0;
  t.units.forEach((unit, u) => {
    let coders = 0;
    for (let c = 0; c < C; c++) if (t.matrix[c]![u] !== null) coders++;
    if (coders >= minCoders || (coders >= 1 && opts.gold?.has(unit))) used.push(u);
    else excludedUnits++;
  });
  if (used.length === 0) return { ...undefinedFigure('no_pairable_values', `no unit has ${minCoders} or more coders or a gold answer`), excludedUnits };

  const values: Value[] = [];
  for (const u of used) {
    for (let c = 0; c < C; c++) {
      const v = t.matrix[c]![u];
      if (v !== null && v !== undefined) values.push(v);
    }
    const g = opts.gold?.get(t.units[u]!);
    if (g !== undefined) values.push(g);
  }
  const categories = opts.categories ? categoriesOf([], { categories: opts.categories, ordered: false, metric: 'Dawid–Skene' }) : sortValues([...new Set(values)]);
  const K = categories.length;
  const index = new Map<Value, number>(categories.map((c, i) => [c, i]));
  const U = used.length;
  const offsets = new Int32Array(U + 1);
  const obsCoder: number[] = [];
  const obsLabel: number[] = [];
  const gold = new Int32Array(U).fill(-1);
  used.forEach((u, i) => {
    for (let c = 0; c < C; c++) {
      const v = t.matrix[c]![u];
      if (v === null || v === undefined) continue;
      const l = index.get(v);
      if (l === undefined) throw new AgreementInputError(`unit "${t.units[u]}": ${String(v)} is not one of the categories`);
      obsCoder.push(c);
      obsLabel.push(l);
    }
    offsets[i + 1] = obsCoder.length;
    const g = opts.gold?.get(t.units[u]!);
    if (g !== undefined) {
      const gi = index.get(g);
      if (gi === undefined) throw new AgreementInputError(`gold answer for unit "${t.units[u]}" (${String(g)}) is not one of the categories`);
      gold[i] = gi;
    }
  });

  // Posteriors, initialised from vote shares (gold: certain).
  const T = new Float64Array(U * K);
  for (let i = 0; i < U; i++) {
    if (gold[i]! >= 0) T[i * K + gold[i]!] = 1;
    else {
      const m = offsets[i + 1]! - offsets[i]!;
      for (let j = offsets[i]!; j < offsets[i + 1]!; j++) T[i * K + obsLabel[j]!]! += 1 / m;
    }
  }
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
    // M step.
    prior.fill(s);
    conf.fill(s);
    rowTotals.fill(K * s);
    for (let i = 0; i < U; i++) {
      for (let k = 0; k < K; k++) prior[k]! += T[i * K + k]!;
      for (let j = offsets[i]!; j < offsets[i + 1]!; j++) {
        const c = obsCoder[j]!;
        for (let k = 0; k < K; k++) {
          const w = T[i * K + k]!;
          conf[(c * K + k) * K + obsLabel[j]!]! += w;
          rowTotals[c * K + k]! += w;
        }
      }
    }
    for (let k = 0; k < K; k++) logPrior[k] = Math.log(prior[k]! / (U + K * s));
    for (let ck = 0; ck < C * K; ck++) for (let l = 0; l < K; l++) logConf[ck * K + l] = Math.log(conf[ck * K + l]! / rowTotals[ck]!);
    // E step.
    let ll = 0;
    for (let i = 0; i < U; i++) {
      for (let k = 0; k < K; k++) {
        let v = logPrior[k]!;
        for (let j = offsets[i]!; j < offsets[i + 1]!; j++) v += logConf[(obsCoder[j]! * K + k) * K + obsLabel[j]!]!;
        scratch[k] = v;
      }
      if (gold[i]! >= 0) {
        ll += scratch[gold[i]!]!;
        continue;
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, scratch[k]!);
      let total = 0;
      for (let k = 0; k < K; k++) total += Math.exp(scratch[k]! - max);
      ll += max + Math.log(total);
      for (let k = 0; k < K; k++) T[i * K + k] = Math.exp(scratch[k]! - max) / total;
    }
    const change = Math.abs(ll - logLikelihood);
    logLikelihood = ll;
    if (change <= tolerance * Math.max(1, Math.abs(ll))) {
      converged = true;
      break;
    }
  }

  const priors = Array.from(prior, (p) => p / (U + K * s));
  const ratedUnits = new Int32Array(C);
  for (const c of obsCoder) ratedUnits[c]!++;
  const coders: DawidSkeneCoder[] = t.coders.map((coder, c) => {
    const confusion = Array.from({ length: K }, (_, k) => Array.from({ length: K }, (_, l) => conf[(c * K + k) * K + l]! / rowTotals[c * K + k]!));
    return { coder, accuracy: priors.reduce((acc, p, k) => acc + p * confusion[k]![k]!, 0), confusion, units: ratedUnits[c]! };
  });
  const units: DawidSkeneUnit[] = used.map((u, i) => {
    const posterior = Array.from(T.subarray(i * K, (i + 1) * K));
    let best = 0;
    for (let k = 1; k < K; k++) if (posterior[k]! > posterior[best]!) best = k;
    return { unit: t.units[u]!, label: categories[best]!, probability: posterior[best]!, posterior, gold: gold[i]! >= 0 };
  });
  return { defined: true, categories, priors, coders, units, iterations, converged, logLikelihood, excludedUnits };
}
