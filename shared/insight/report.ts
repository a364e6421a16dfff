/**
 * The shape of every figure on real work, as the CLI prints it (--json), the contract returns it
 * and the dashboard draws it. Plain JSON: figures are the agreement library's `Figure` (a value
 * with its interval, or a reason), never NaN.
 */
import type { Figure, Interval, Level } from '../agreement/index.ts';
import type { TaskKind } from '../domain/index.ts';
import type { Aspect, Headline } from './fields.ts';

export interface CoderRef {
  readonly id: string;
  readonly name: string;
}

export interface FieldFigures {
  readonly field: string;
  readonly label: string;
  readonly kind: TaskKind;
  readonly aspect: Aspect;
  readonly criterionId: string | null;
  readonly level: Level;
  readonly headline: Headline;
  /** The headline figure (alpha, AC1, or exact first-error agreement). */
  readonly value: Figure;
  readonly alpha: Figure;
  readonly ac1: Figure | null;
  readonly percent: Figure;
  /** First-error step within ±1 step (first-error field only). */
  readonly within1: Figure | null;
  /** Units with two or more coders, and the distinct tasks they belong to. */
  readonly pairableUnits: number;
  readonly tasks: number;
  readonly coders: number;
}

/** The headline figures again, per bundle and per bundle version. */
export interface GroupFigures {
  readonly bundleId: string;
  /** null: all versions of the bundle together. */
  readonly version: number | null;
  readonly tasks: number;
  readonly fields: readonly FieldFigures[];
}

export interface PairFigure {
  readonly field: string;
  readonly a: string;
  readonly b: string;
  readonly units: number;
  readonly value: Figure;
}

export interface RankingFigures {
  /** Mean tau-b per task over every annotator pair, and per pair. */
  readonly overall: Figure & { readonly units: number };
  readonly pairs: readonly (Figure & { readonly a: string; readonly b: string; readonly units: number })[];
}

export interface AccuracyFigure {
  readonly field: string;
  readonly label: string;
  readonly units: number;
  readonly matches: number;
  readonly value: Figure;
  /** First-error step: also within ±1. */
  readonly within1: Figure | null;
}

export interface CalibrationFigures {
  readonly coder: string;
  readonly gold: readonly AccuracyFigure[];
  readonly adjudicated: readonly AccuracyFigure[];
}

export interface BiasFigure {
  readonly coder: string;
  readonly trials: number;
  readonly hits: number;
  readonly value: Figure;
  readonly expectedRate: number | null;
  readonly pValue: number | null;
  readonly wilson: { readonly lower: number; readonly upper: number } | null;
}

export interface LeniencyFigure {
  readonly field: string;
  readonly label: string;
  readonly coder: string;
  readonly units: number;
  readonly value: Figure;
  readonly meanScore: number | null;
  readonly othersMean: number | null;
}

export interface DriftPoint {
  /** "2026-W18", or a batch "device#seq". */
  readonly period: string;
  /** Share of the other annotators' answers (same task, same field unit) this coder matched. */
  readonly withOthers: Figure & { readonly n: number };
  /** Share of gold answers matched in the period. */
  readonly withGold: Figure & { readonly n: number };
}

export interface DriftFigures {
  readonly coder: string;
  readonly field: string;
  readonly label: string;
  readonly by: 'week' | 'batch';
  readonly points: readonly DriftPoint[];
}

export interface ActiveTime {
  readonly coder: string;
  readonly items: number;
  readonly medianMs: number;
  readonly meanMs: number;
  readonly byKind: readonly { readonly kind: TaskKind; readonly items: number; readonly medianMs: number }[];
}

export interface DawidSkeneFigures {
  readonly field: string;
  readonly label: string;
  /** Advisory only: never used to decide an answer. */
  readonly defined: boolean;
  readonly message: string | null;
  readonly units: number;
  readonly excludedUnits: number;
  readonly coders: readonly { readonly coder: string; readonly accuracy: number; readonly units: number }[];
}

export interface JudgeFieldFigures {
  readonly field: string;
  readonly label: string;
  /** Alpha between the judge and each expert, two coders at a time, at the field's level. */
  readonly withExperts: readonly (Figure & { readonly coder: string; readonly units: number })[];
  /** Alpha among the experts alone on the same units: the bar the judge is measured against. */
  readonly expertsAlone: Figure;
  /** The judge's accuracy against adjudicated answers. */
  readonly vsAdjudicated: AccuracyFigure;
  readonly units: number;
}

export interface JudgeFigures {
  readonly model: string;
  readonly fields: readonly JudgeFieldFigures[];
  readonly positionBias: BiasFigure | null;
}

export interface FailureCount {
  readonly bundleId: string;
  readonly version: number;
  readonly errorType: string;
  readonly label: string;
  readonly steps: number;
  readonly exemplars: number;
  readonly highlights: number;
  readonly total: number;
}

/** Which tasks a figure stands on: the dashboard drills into these. */
export interface Drill {
  readonly field?: string;
  readonly coder?: string;
  readonly pair?: [string, string];
  readonly judge?: string;
  readonly bundleId?: string;
  /** disagreement: tasks where coders differ; position: the coder's preferences for the first shown; gold: gold items missed; work: every task the coder did; older-model: preferences on responses from an older model. */
  readonly show: 'disagreement' | 'position' | 'gold' | 'work' | 'older-model';
}

/** Per bundle with a current model: preference judgements, and those on responses from an older model version. */
export interface OlderModelFigures {
  readonly bundleId: string;
  /** "name version" as bundle.json declares it. */
  readonly currentModel: string;
  readonly judgements: number;
  readonly older: number;
  /** Distinct tasks behind `older`. */
  readonly tasks: number;
}

export interface Flag {
  readonly id: string;
  readonly subject: 'field' | 'coder' | 'judge' | 'bundle';
  readonly sentence: string;
  readonly drill: Drill;
}

export interface InsightFilter {
  readonly bundleId?: string;
  readonly version?: number;
  /** Field ids (compare.preference, compare.score.safety…) or criterion ids. */
  readonly field?: string;
  readonly coder?: string;
}

export interface InsightReport {
  readonly filter: InsightFilter;
  readonly seed: number;
  readonly replicates: number;
  readonly tasks: number;
  readonly annotations: number;
  readonly coders: readonly CoderRef[];
  readonly bundles: readonly { readonly id: string; readonly versions: readonly number[] }[];
  readonly fields: readonly FieldFigures[];
  readonly groups: readonly GroupFigures[];
  readonly pairs: readonly PairFigure[];
  readonly ranking: RankingFigures;
  readonly calibration: readonly CalibrationFigures[];
  readonly positionBias: readonly BiasFigure[];
  readonly lengthBias: readonly BiasFigure[];
  readonly leniency: readonly LeniencyFigure[];
  readonly drift: readonly DriftFigures[];
  readonly activeTime: readonly ActiveTime[];
  readonly dawidSkene: readonly DawidSkeneFigures[];
  readonly judges: readonly JudgeFigures[];
  readonly failureModes: readonly FailureCount[];
  readonly olderModel: readonly OlderModelFigures[];
  readonly flags: readonly Flag[];
}

export type { Interval };
