/**
 * Agreement, calibration and bias figures: a pure library (no Node, no store) used by the
 * renderer, the workstation core, the server and `casebook agreement`. Inputs are plain data —
 * coder × unit matrices, per-unit value lists, value pairs, long-form ratings — and every figure
 * is a value with a seeded bootstrap interval, or an explicit reason why it is undefined.
 * docs/agreement.md describes each metric.
 */
export * from './types.ts';
export { unitsFromMatrix, pairsFromMatrix, tableFromRatings, unitsFromRatings, pairsFromRatings, type RatingTable, type RatingsInput } from './data.ts';
export { DEFAULT_LEVEL, DEFAULT_REPLICATES, DEFAULT_SEED } from './bootstrap.ts';
export { Random } from './random.ts';
export type { WeightKind } from './weights.ts';
export { percentAgreement, fleissKappa, gwetAC1, type GwetOptions, type GwetResult } from './gwet.ts';
export { cohenKappa, type CohenOptions, type CohenResult } from './cohen.ts';
export { krippendorffAlpha, type AlphaOptions, type AlphaResult, type Level } from './alpha.ts';
export { kendallTauB, meanKendallTauB, type MeanTauResult, type Rank, type TauCounts, type TauResult } from './kendall.ts';
export { binomialTest, poissonBinomialPmf, type Alternative } from './exact-test.ts';
export { chanceRate, positionBias, lengthBias, type ChanceRateResult, type ChanceTrial, type LengthBiasResult, type LengthColumns, type LengthTrial, type PositionBiasResult, type PositionColumns, type PositionTrial, type RateByOptions } from './bias.ts';
export { HitTally, leniency, referenceAgreement, type CoderFigure, type LeniencyResult, type ReferenceOptions, type ReferenceResult } from './per-coder.ts';
export { firstErrorAgreement, firstErrorMatch, NO_ERROR, type FirstErrorResult } from './first-error.ts';
export { dawidSkene, type DawidSkeneCoder, type DawidSkeneEstimate, type DawidSkeneOptions, type DawidSkeneResult, type DawidSkeneUnit } from './dawid-skene.ts';
export type { ColumnRatings } from './columns.ts';
