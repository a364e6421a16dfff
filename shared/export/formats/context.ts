import type { Answer, CompareTask, ExemplarTask, TrajectoryTask } from '../../domain/index.ts';
import { modelStatus, type ModelCheck } from '../models.ts';
import type { ExportOptions } from '../options.ts';
import type { ExportUnit } from '../unit.ts';
import type { NoOrder } from '../pairs.ts';
import type { NoCorrection } from '../steps.ts';

/** What a format's row maker gets: the unit and options, with the model checks at hand. */
export interface RowContext {
  unit: ExportUnit;
  options: ExportOptions;
}

/** A row before its metadata: the format's fields, the task parts used, and the model-written parts' checks. */
export interface Draft {
  data: Record<string, unknown>;
  parts: string[];
  produced: ModelCheck[];
}

/** Why an answer gives no rows in a format: no stated order, no usable step labels or correction, or nothing for this format. */
export type NoRows = NoOrder | NoCorrection | 'kind_not_applicable' | 'unchanged' | 'trajectories_not_requested';

export type RowMaker = (ctx: RowContext, answer: Answer) => Draft[] | { none: NoRows };

export function responseCheck(ctx: RowContext, task: CompareTask, id: string): ModelCheck {
  const r = task.responses.find((x) => x.id === id);
  return modelStatus(r ?? {}, ctx.unit.bundle.currentModel);
}

/** The model check of an exemplar's draft or a trajectory's run. */
export function producerCheck(ctx: RowContext, task: ExemplarTask | TrajectoryTask): ModelCheck {
  return modelStatus(task, ctx.unit.bundle.currentModel);
}
