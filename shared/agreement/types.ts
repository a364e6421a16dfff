/**
 * The plain data every agreement figure is computed from, and the shape of every answer.
 * Nothing here knows about bundles, tasks or the store: the callers (the CLI on a CSV, the
 * dashboard on the all-work read model) turn their records into these shapes.
 */

/** A value a coder gave a unit: a category label, a scale point, a score, a rank. */
export type Value = string | number;

/** A cell of a coder × unit matrix: null or undefined is a missing value. */
export type Cell = Value | null | undefined;

/** Krippendorff's canonical reliability data: one row per coder, one column per unit. */
export type CoderUnitMatrix = readonly (readonly Cell[])[];

/** The values each unit received, one per coder who coded it (missing values left out). */
export type UnitValues = readonly (readonly Value[])[];

/** One judgement in long form, as a read model yields it: who gave which unit what. */
export interface Rating<V extends Value = Value> {
  readonly unit: string;
  readonly coder: string;
  readonly value: V;
}

/** Two coders' values for the same units, in the same order (a missing side skips the unit). */
export type ValuePairs = readonly (readonly [Cell, Cell])[];

/** Why a figure has no value. Each comes with a sentence saying what it means for the data. */
export type UndefinedReason =
  /** No unit has values from two or more coders (or no pair has both values). */
  | 'no_pairable_values'
  /** Every value given is the same: agreement is total, but cannot be told from chance. */
  | 'one_category_only'
  /** Fewer than two items to rank or compare. */
  | 'too_few_items'
  /** One of the two rankings ties every item, so no order can agree or disagree with it. */
  | 'ranking_all_tied'
  /** No trial qualified for the test (every one excluded, or none given). */
  | 'no_trials'
  /** The coder shares no unit with the others (or with the reference). */
  | 'no_shared_units';

export interface Interval {
  /** Coverage, e.g. 0.95. */
  readonly level: number;
  readonly lower: number;
  readonly upper: number;
  /** Bootstrap replicates drawn. */
  readonly replicates: number;
  /** Replicates whose figure was defined (the others are left out of the percentiles). */
  readonly definedReplicates: number;
  readonly seed: number;
}

export interface Defined {
  readonly defined: true;
  readonly value: number;
  /** Percentile bootstrap interval over units; null when not asked for or never defined. */
  readonly ci: Interval | null;
}

export interface Undefined {
  readonly defined: false;
  readonly reason: UndefinedReason;
  readonly message: string;
}

/** A figure: a value (with its interval) or an explicit reason why there is none; never NaN. */
export type Figure = Defined | Undefined;

export interface BootstrapOptions {
  /** Replicates to draw (default 1000); 0 skips the interval. */
  readonly replicates?: number;
  /** Seed of the library's own PRNG (default 1): the same seed gives the same interval. */
  readonly seed?: number;
  /** Coverage of the interval (default 0.95). */
  readonly level?: number;
}

/** Bad input to a library function: a programming or data error the caller must fix. */
export class AgreementInputError extends Error {
  override name = 'AgreementInputError';
}

export const UNDEFINED_MESSAGES: Record<UndefinedReason, string> = {
  no_pairable_values: 'no unit has values from two or more coders, so there is nothing to compare',
  one_category_only: 'every value given is the same: the coders agree totally, but agreement cannot be told from chance',
  too_few_items: 'fewer than two items to compare',
  ranking_all_tied: 'one ranking ties every item, so no order can agree or disagree with it',
  no_trials: 'no trial qualified for the test',
  no_shared_units: 'this coder shares no unit with the others',
};

export function undefinedFigure(reason: UndefinedReason, message = UNDEFINED_MESSAGES[reason]): Undefined {
  return { defined: false, reason, message };
}
