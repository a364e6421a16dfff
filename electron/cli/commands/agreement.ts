/**
 * `casebook agreement --matrix FILE.csv --metric …`: any agreement figure on a coder × unit
 * table, so that people can check ours against their own spreadsheet or R. The CSV shape and
 * every metric are described in docs/agreement.md.
 */
import {
  AgreementInputError,
  cohenKappa,
  fleissKappa,
  gwetAC1,
  kendallTauB,
  krippendorffAlpha,
  pairsFromMatrix,
  percentAgreement,
  unitsFromMatrix,
  type Figure,
  type Level,
  type Rank,
} from '../../../shared/agreement/index.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';
import { readMatrixCsv } from '../matrix-csv.ts';

export const AGREEMENT_USAGE =
  'usage: casebook agreement --matrix FILE.csv --metric alpha|fleiss|cohen|ac1|tau-b|percent [--level nominal|ordinal|interval|ratio] [--weights linear|quadratic] [--seed N] [--bootstrap N] [--json]';

const METRICS = ['alpha', 'fleiss', 'cohen', 'ac1', 'tau-b', 'percent'] as const;
type Metric = (typeof METRICS)[number];
const LEVELS: readonly Level[] = ['nominal', 'ordinal', 'interval', 'ratio'];
const WEIGHTS = ['linear', 'quadratic'] as const;
type Weights = (typeof WEIGHTS)[number];
/** Metrics that compare coders two at a time (one figure per pair). */
const PAIRWISE: readonly Metric[] = ['cohen', 'tau-b'];
const WEIGHTED: readonly Metric[] = ['cohen', 'fleiss', 'ac1', 'percent'];

export interface AgreementArgs {
  readonly matrix?: string | undefined;
  readonly metric?: string | undefined;
  readonly level?: string | undefined;
  readonly weights?: string | undefined;
  readonly seed?: string | undefined;
  readonly bootstrap?: string | undefined;
  readonly json: boolean;
}

function wholeNumber(flag: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw new CliError(`${flag}: "${raw}" is not a whole number from 0 to ${max}`, 2);
  return Number(raw);
}

function oneOf<T extends string>(flag: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new CliError(`${flag}: "${raw}" is not one of ${allowed.join(', ')}`, 2);
  return raw as T;
}

function title(metric: Metric, level: Level, weights: Weights | undefined): string {
  const w = weights ? ` (${weights} weights)` : '';
  switch (metric) {
    case 'alpha':
      return `Krippendorff's alpha (${level})`;
    case 'fleiss':
      return `Fleiss' kappa${w}`;
    case 'cohen':
      return `Cohen's kappa${w}`;
    case 'ac1':
      return weights ? `Gwet's AC2${w}` : "Gwet's AC1";
    case 'percent':
      return `percent agreement${w}`;
    case 'tau-b':
      return "Kendall's tau-b";
  }
}

const fixed = (x: number) => x.toFixed(3);

function describe(f: Figure): string {
  if (!f.defined) return `undefined: ${f.message}`;
  const ci = f.ci ? `  ${Math.round(f.ci.level * 100)}% CI [${fixed(f.ci.lower)}, ${fixed(f.ci.upper)}]` : '';
  return `${fixed(f.value)}${ci}`;
}

// Krippendorff (Content Analysis, 2nd ed., 2004): rely on variables with α ≥ .800, draw tentative
// conclusions only from .667 ≤ α < .800.
function alphaVerdict(f: Figure): string | null {
  if (!f.defined) return null;
  if (f.value >= 0.8) return 'at or above 0.800: reliable by Krippendorff’s standard';
  if (f.value >= 0.667) return 'between 0.667 and 0.800: tentative conclusions only (Krippendorff)';
  return 'below 0.667: not reliable by Krippendorff’s standard';
}

export async function agreement(io: Io, args: AgreementArgs): Promise<void> {
  if (!args.matrix) throw new CliError(AGREEMENT_USAGE, 2);
  if (!args.metric) throw new CliError(`--metric is required\n${AGREEMENT_USAGE}`, 2);
  const metric = oneOf('--metric', args.metric, METRICS)!;
  const level = oneOf('--level', args.level, LEVELS) ?? 'nominal';
  const weights = oneOf('--weights', args.weights, WEIGHTS);
  if (args.level !== undefined && metric !== 'alpha') throw new CliError('--level goes with --metric alpha (the other metrics have a fixed level, or take --weights)', 2);
  if (weights && !WEIGHTED.includes(metric)) throw new CliError(`--weights goes with --metric ${WEIGHTED.join(', ')}`, 2);
  const seed = wholeNumber('--seed', args.seed, 1, 0xffffffff);
  const replicates = wholeNumber('--bootstrap', args.bootstrap, 1000, 1_000_000);
  const bootstrap = { replicates, seed };

  const numbers = metric === 'tau-b' ? '--metric tau-b' : weights ? `--weights ${weights}` : metric === 'alpha' && level !== 'nominal' ? `--level ${level}` : null;
  const data = await readMatrixCsv(args.matrix, numbers);
  const name = title(metric, level, weights);

  const compute = (): { result?: Figure; pairs?: { coders: [string, string]; result: Figure }[] } => {
    if (PAIRWISE.includes(metric)) {
      const pairs: { coders: [string, string]; result: Figure }[] = [];
      for (let a = 0; a < data.coders.length; a++) {
        for (let b = a + 1; b < data.coders.length; b++) {
          const result =
            metric === 'cohen'
              ? cohenKappa(pairsFromMatrix(data.matrix, a, b), { weights, bootstrap })
              : kendallTauB(data.matrix[a] as readonly Rank[], data.matrix[b] as readonly Rank[], { bootstrap });
          pairs.push({ coders: [data.coders[a]!, data.coders[b]!], result });
        }
      }
      return pairs.length === 1 ? { result: pairs[0]!.result, pairs } : { pairs };
    }
    const units = unitsFromMatrix(data.matrix);
    const result =
      metric === 'alpha'
        ? krippendorffAlpha(units, { level, bootstrap })
        : metric === 'fleiss'
          ? fleissKappa(units, { weights, bootstrap })
          : metric === 'ac1'
            ? gwetAC1(units, { weights, bootstrap })
            : percentAgreement(units, { weights, bootstrap });
    return { result };
  };
  let figures;
  try {
    figures = compute();
  } catch (e) {
    if (e instanceof AgreementInputError) throw new CliError(`${args.matrix}: ${e.message}`);
    throw e;
  }

  if (args.json) {
    io.out(
      JSON.stringify(
        {
          file: args.matrix,
          metric,
          ...(metric === 'alpha' ? { level } : {}),
          ...(WEIGHTED.includes(metric) ? { weights: weights ?? null } : {}),
          coders: data.coders,
          units: data.units.length,
          bootstrap: { replicates, seed, level: 0.95, over: metric === 'tau-b' ? 'items' : 'units' },
          ...figures,
        },
        null,
        2,
      ),
    );
    return;
  }
  const about = `${data.coders.length} coders, ${data.units.length} units; ${replicates > 0 ? `bootstrap: ${replicates} replicates over ${metric === 'tau-b' ? 'items' : 'units'}, seed ${seed}` : 'no bootstrap'}`;
  if (figures.pairs && !figures.result) {
    io.out(`${name}, per pair of coders (${about}):`);
    for (const p of figures.pairs) io.out(`  ${p.coders[0]} – ${p.coders[1]}: ${describe(p.result)}${pairNote(p.result)}`);
    return;
  }
  const result = figures.result!;
  io.out(`${name}: ${describe(result)}${figures.pairs ? pairNote(result) : ''}`);
  io.out(`  ${about}`);
  const verdict = metric === 'alpha' ? alphaVerdict(result) : null;
  if (verdict) io.out(`  ${verdict}`);
}

function pairNote(f: Figure): string {
  const r = f as Figure & { pairs?: number; n?: number; pValue?: number | null };
  const n = r.pairs ?? r.n;
  const p = r.pValue !== undefined && r.pValue !== null ? `, p = ${r.pValue < 0.001 ? r.pValue.toExponential(2) : r.pValue.toFixed(3)}` : '';
  return n === undefined ? '' : `  (${n} units coded by both${p})`;
}
