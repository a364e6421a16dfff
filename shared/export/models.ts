import type { CurrentModel } from '../domain/index.ts';

/**
 * How a piece of model-written text relates to the bundle's current model:
 * - `current`: its `modelVersion` is the current version;
 * - `older`: its version is listed in `currentModel.earlier` (`lag` = how many versions behind);
 * - `other`: it names a different `model` than the bundle's current one;
 * - `unknown`: no version, a version outside the lineage, or no current model declared.
 */
export type ModelStatus = 'current' | 'older' | 'other' | 'unknown';

export interface ModelCheck {
  status: ModelStatus;
  lag: number | null;
}

export interface Produced {
  model?: string | undefined;
  modelVersion?: string | undefined;
}

export function modelStatus(produced: Produced, current: CurrentModel | undefined): ModelCheck {
  if (!current || produced.modelVersion === undefined) return { status: 'unknown', lag: null };
  if (current.name !== undefined && produced.model !== undefined && produced.model !== current.name) return { status: 'other', lag: null };
  if (produced.modelVersion === current.version) return { status: 'current', lag: 0 };
  const i = current.earlier.indexOf(produced.modelVersion);
  if (i >= 0) return { status: 'older', lag: current.earlier.length - i };
  return { status: 'unknown', lag: null };
}

/**
 * A row's model status: `none` when no part of it was written by a model (a human correction
 * alone), else the least current of its parts (older, then other, then unknown, then current).
 */
export type RowModelStatus = ModelStatus | 'none';

const RANK: Record<ModelStatus, number> = { older: 3, other: 2, unknown: 1, current: 0 };

export function rowModelStatus(parts: readonly ModelCheck[]): RowModelStatus {
  let worst: RowModelStatus = 'none';
  for (const p of parts) if (worst === 'none' || RANK[p.status] > RANK[worst]) worst = p.status;
  return worst;
}

/**
 * Preference rows on responses from a model older than the bundle's current one. This is the
 * flag the dashboard and export summary show; `currentModelOnly` drops more (every row with a
 * model-written part that is not `current`).
 */
export function isStale(status: RowModelStatus): boolean {
  return status === 'older';
}

export function keptByModelFilter(status: RowModelStatus, currentModelOnly: boolean): boolean {
  return !currentModelOnly || status === 'none' || status === 'current';
}
