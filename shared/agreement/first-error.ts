/**
 * Agreement on the first error step of a trajectory: exactly, and within ±k steps. A step is
 * its 0-based index; NO_ERROR (−1, as in ProcessBench) says the coder found every step correct,
 * which matches only another NO_ERROR, never a step "within k" of it.
 */
import { groupedRows, resolveBootstrap } from './bootstrap.ts';
import type { BootstrapOptions, Figure } from './types.ts';
import { AgreementInputError, undefinedFigure } from './types.ts';

export const NO_ERROR = -1;

/** Whether two first-error answers agree within k steps (k = 0: exactly). */
export function firstErrorMatch(within: number): (a: number, b: number) => boolean {
  if (!Number.isInteger(within) || within < 0) throw new AgreementInputError(`within must be a whole number of steps ≥ 0 (got ${within})`);
  return (a, b) => a === b || (a !== NO_ERROR && b !== NO_ERROR && Math.abs(a - b) <= within);
}

export interface FirstErrorResult {
  readonly exact: Figure;
  readonly within: Figure & { readonly steps: number };
  readonly units: number;
  /** Units with answers from two or more coders. */
  readonly pairableUnits: number;
}

/**
 * Per unit, the share of coder pairs whose first-error steps agree, averaged over units with
 * two or more answers (each unit counts once, as in percent agreement).
 */
export function firstErrorAgreement(units: readonly (readonly number[])[], opts: { within?: number; bootstrap?: BootstrapOptions | false } = {}): FirstErrorResult {
  const steps = opts.within ?? 1;
  const exactly = firstErrorMatch(0);
  const near = firstErrorMatch(steps);
  const rows: number[] = [];
  units.forEach((answers, u) => {
    for (const a of answers) if (!Number.isInteger(a) || a < NO_ERROR) throw new AgreementInputError(`unit ${u + 1}: ${a} is not a step index (0, 1, …) or NO_ERROR (−1)`);
    if (answers.length < 2) return;
    let pairs = 0;
    let exact = 0;
    let within = 0;
    for (let i = 0; i < answers.length; i++) {
      for (let j = i + 1; j < answers.length; j++) {
        pairs++;
        if (exactly(answers[i]!, answers[j]!)) exact++;
        if (near(answers[i]!, answers[j]!)) within++;
      }
    }
    rows.push(exact / pairs, within / pairs);
  });
  const pairableUnits = rows.length / 2;
  if (pairableUnits === 0) {
    const none = undefinedFigure('no_pairable_values');
    return { exact: none, within: { ...none, steps }, units: units.length, pairableUnits };
  }
  const c = groupedRows(2, rows);
  const b = resolveBootstrap(opts.bootstrap);
  const share = (j: number) => (s: Float64Array) => s[j]! / s[2]!;
  const total = c.sum();
  return {
    exact: { defined: true, value: share(0)(total), ci: c.bootstrap(share(0), b) },
    within: { defined: true, value: share(1)(total), ci: c.bootstrap(share(1), b), steps },
    units: units.length,
    pairableUnits,
  };
}
