import { z } from 'zod';
import { Answer, Sha256Hex, Task } from '../../domain/index.ts';
import { modelStatus } from '../models.ts';
import { Policy } from '../options.ts';
import { AnswerSource } from '../schemas.ts';
import type { Decided } from '../select.ts';
import { ExportUnit, UnitAdjudication, UnitAnnotation, UnitBundle } from '../unit.ts';

const ModelEntry = z.strictObject({
  model: z.string().optional(),
  modelVersion: z.string().optional(),
  status: z.enum(['current', 'older', 'other', 'unknown']),
  lag: z.number().int().min(0).nullable(),
});

/**
 * full: one line per task with everything known about it: the task as judged, every
 * annotation revision and the adjudication with their authors, devices and batches, agreement,
 * the answers the policy chose (empty when it chose none) and the model status of every
 * model-written part. Filters apply; the policy does not remove a task from this file.
 */
export const FullLine = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  bundle: UnitBundle,
  task: Task,
  taskHash: Sha256Hex,
  gold: ExportUnit.shape.gold,
  agreement: ExportUnit.shape.agreement,
  escalations: ExportUnit.shape.escalations,
  policy: Policy,
  selected: z.array(z.strictObject({ answer: AnswerSource, sources: z.array(z.string()).min(1), value: Answer })),
  /** Why the policy chose nothing, or null. */
  unselected: z.string().nullable(),
  /** Per model-written part: response ids, "draft" (exemplar) or "run" (trajectory). */
  models: z.record(z.string(), ModelEntry),
  annotations: z.array(UnitAnnotation),
  adjudication: UnitAdjudication.nullable(),
});
export type FullLine = z.infer<typeof FullLine>;

export function modelEntries(unit: ExportUnit): FullLine['models'] {
  const current = unit.bundle.currentModel;
  const entry = (p: { model?: string | undefined; modelVersion?: string | undefined }) => ({
    ...(p.model !== undefined ? { model: p.model } : {}),
    ...(p.modelVersion !== undefined ? { modelVersion: p.modelVersion } : {}),
    ...modelStatus(p, current),
  });
  const t = unit.task;
  if (t.kind === 'compare') return Object.fromEntries(t.responses.map((r) => [r.id, entry(r)]));
  return { [t.kind === 'exemplar' ? 'draft' : 'run']: entry(t) };
}

export function fullLine(unit: ExportUnit, id: string, policy: Policy, decided: readonly Decided[], unselected: string | null): FullLine {
  return {
    id,
    bundle: unit.bundle,
    task: unit.task,
    taskHash: unit.taskHash,
    gold: unit.gold,
    agreement: unit.agreement,
    escalations: unit.escalations,
    policy,
    selected: decided.map((d) => ({ answer: d.source, sources: d.sources, value: d.answer })),
    unselected,
    models: modelEntries(unit),
    annotations: unit.annotations,
    adjudication: unit.adjudication,
  };
}
