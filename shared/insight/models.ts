/**
 * Preference judgements on responses from a model older than the bundle's current one
 * (bundle.json `currentModel`): they judged text the current model no longer writes, so the
 * dashboard flags them as the export summary does. Which responses count as older is the
 * export's rule, reused, not restated: a judgement is stale when its row would be
 * (shared/export/models.ts).
 */
import type { Value } from '../agreement/index.ts';
import type { ExportUnit } from '../export/unit.ts';
import { isStale, modelStatus, rowModelStatus } from '../export/models.ts';
import type { DrillRow } from './drill.ts';
import { latestSubmitted } from './facts.ts';
import type { Drill, OlderModelFigures } from './report.ts';

export interface OlderModelFacts {
  readonly bundles: Map<string, { current: string; judgements: number; older: number; tasks: number }>;
  /** One row per task with a judgement on older responses, in read-model order. */
  readonly rows: DrillRow[];
}

const PREFERENCE = 'compare.preference';

/** Collects, a unit at a time, the preference judgements in scope (one coder's when a coder is named). */
export function olderModelBuilder(coder?: string): { add: (unit: ExportUnit) => void; readonly facts: OlderModelFacts } {
  const facts: OlderModelFacts = { bundles: new Map(), rows: [] };
  const add = (unit: ExportUnit): void => {
    const task = unit.task;
    const current = unit.bundle.currentModel;
    if (task.kind !== 'compare' || !current) return;
    const judged = latestSubmitted(unit).filter((a) => a.content.answer.kind === 'compare' && a.content.answer.preference && (coder === undefined || a.annotatorId === coder || a.annotatorName === coder));
    let b = facts.bundles.get(unit.bundle.id);
    if (!b) facts.bundles.set(unit.bundle.id, (b = { current: `${current.name ? `${current.name} ` : ''}${current.version}`, judgements: 0, older: 0, tasks: 0 }));
    b.judgements += judged.length;
    if (judged.length === 0 || !isStale(rowModelStatus(task.responses.map((r) => modelStatus(r, current))))) return;
    b.older += judged.length;
    b.tasks++;
    // Keyed and filled as the other drills' rows are: annotators by name, the gold and adjudicated preferences beside them.
    const values: Record<string, Value> = {};
    for (const a of judged) if (a.content.answer.kind === 'compare' && a.content.answer.preference) values[a.annotatorName || a.annotatorId] = a.content.answer.preference.choice;
    const adj = unit.adjudication;
    const adjudicated = adj && adj.answer.kind === 'compare' && (!adj.taskHash || adj.taskHash === unit.taskHash) ? (adj.answer.preference?.choice ?? null) : null;
    const goldAnswer = task.gold?.preferred ?? null;
    facts.rows.push({ bundleId: unit.bundle.id, bundleVersion: unit.bundle.version, taskId: task.id, taskHash: unit.taskHash, kind: 'compare', gold: unit.gold, part: null, field: PREFERENCE, values, goldAnswer, adjudicated });
  };
  return { add, facts };
}

export function olderModelFigures(facts: OlderModelFacts | undefined): OlderModelFigures[] {
  if (!facts) return [];
  return [...facts.bundles]
    .filter(([, b]) => b.judgements > 0)
    .map(([bundleId, b]) => ({ bundleId, currentModel: b.current, judgements: b.judgements, older: b.older, tasks: b.tasks }))
    .sort((a, b) => (a.bundleId < b.bundleId ? -1 : 1));
}

/** The tasks behind the flag: every task of the drill's scope judged on older responses. */
export function olderModelRows(facts: OlderModelFacts | undefined, drill: Drill, limit: number): { total: number; rows: DrillRow[] } {
  const all = (facts?.rows ?? []).filter((r) => drill.bundleId === undefined || r.bundleId === drill.bundleId);
  return { total: all.length, rows: all.slice(0, limit) };
}
