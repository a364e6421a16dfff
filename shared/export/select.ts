import type { Answer, Task } from '../domain/index.ts';
import type { ExportFilters, ExportOptions } from './options.ts';
import { orderOf } from './pairs.ts';
import { promptLength } from './steps.ts';
import type { AnswerSource } from './schemas.ts';
import type { BatchRef, ExportUnit, UnitAnnotation } from './unit.ts';

/** Why a whole task contributes nothing. */
export type Exclusion =
  | 'bundle'
  | 'kind'
  | 'gold'
  | 'escalated'
  | 'agreement'
  | 'no_work'
  | 'not_adjudicated'
  | 'too_few_answers'
  | 'no_agreement'
  | 'no_majority';

/** An answer the policy chose, with the records it stands on. */
export interface Decided {
  answer: Answer;
  source: AnswerSource;
  /** "adjudication:<uuid>" / "annotation:<uuid>", sorted. */
  sources: string[];
  /** Those of the sources the unit holds, with their batch (null: local work not sealed yet). */
  records: [source: string, batch: BatchRef | null][];
}

export type Selection = { excluded: Exclusion } | { decided: Decided[] };

/**
 * The annotations that count for a unit: submitted, made against the unit's task hash and an
 * allowed bundle version, and only each annotator's latest revision.
 */
export function effectiveAnnotations(unit: ExportUnit, filters: Pick<ExportFilters, 'versions'>): UnitAnnotation[] {
  const latest = new Map<string, UnitAnnotation>();
  for (const a of unit.annotations) {
    if (a.status !== 'submitted' || a.taskHash !== unit.taskHash) continue;
    if (filters.versions && !filters.versions.includes(a.bundleVersion)) continue;
    const seen = latest.get(a.annotatorId);
    if (!seen || a.revision > seen.revision) latest.set(a.annotatorId, a);
  }
  return [...latest.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** Filters that look at the task as a whole (not at its records). */
export function unitExclusion(unit: ExportUnit, filters: ExportFilters): Exclusion | null {
  if (filters.bundles && !filters.bundles.includes(unit.bundle.id)) return 'bundle';
  if (filters.kinds && !filters.kinds.includes(unit.task.kind)) return 'kind';
  if (unit.gold && !filters.includeGold) return 'gold';
  if (unit.escalations.open > 0 && !filters.includeEscalated) return 'escalated';
  if (filters.minAgreement !== undefined && (unit.agreement === null || unit.agreement < filters.minAgreement)) return 'agreement';
  return null;
}

/**
 * The key two answers share when they say the same thing, or null for an answer that says
 * nothing decisive (an escalation without an answer). Compare: the stated order (or tie / both
 * unacceptable), strength and scores aside. Exemplar: the corrected text, exactly. Trajectory:
 * the verdict of every step after the opening user turns, and the first error step.
 */
export function decisionKey(task: Task, answer: Answer): string | null {
  if (task.kind === 'compare' && answer.kind === 'compare') {
    const choice = answer.preference?.choice;
    if (choice === undefined || choice === 'cannot_judge') return null;
    if (choice === 'both_unacceptable') return 'both_unacceptable';
    const order = orderOf(answer, task.responses.map((r) => r.id));
    if ('none' in order) return order.none === 'tie' ? 'tie' : null;
    return order.groups.map((g) => [...g].sort().join(',')).join('>');
  }
  if (task.kind === 'exemplar' && answer.kind === 'exemplar') {
    return answer.corrected.trim() === '' ? null : `text:${answer.corrected}`;
  }
  if (task.kind === 'trajectory' && answer.kind === 'trajectory') {
    const verdicts = new Map(answer.steps.map((s) => [s.stepId, s.verdict]));
    // The opening user turns are the prompt, not the agent's work: their verdicts decide nothing.
    const parts = task.steps.slice(promptLength(task)).map((s) => verdicts.get(s.id) ?? null);
    if (parts.some((v) => v === null)) return null;
    return `${parts.join(',')}|${answer.firstErrorStepId ?? '-'}`;
  }
  return null;
}

function fromAnnotations(list: readonly UnitAnnotation[], source: AnswerSource): Decided {
  // The annotation whose id sorts first stands for the group: its free text (rationale,
  // corrected step) is the one exported. `list` is already sorted by id.
  const records = list.map((a): [string, BatchRef | null] => [`annotation:${a.id}`, a.batch]);
  return { answer: list[0]!.content.answer, source, sources: records.map(([k]) => k), records };
}

/**
 * The answers a task contributes under the options' policy and filters. An adjudication in
 * force (same task hash, an allowed version) always wins; its sources are the adjudication and
 * the annotations it names.
 */
export function selectUnit(unit: ExportUnit, options: Pick<ExportOptions, 'policy' | 'filters'>): Selection {
  const excluded = unitExclusion(unit, options.filters);
  if (excluded) return { excluded };
  const adj = unit.adjudication;
  const versions = options.filters.versions;
  if (adj && adj.answer.kind === unit.task.kind && (adj.taskHash === undefined || adj.taskHash === unit.taskHash) && (!versions || adj.bundleVersion === undefined || versions.includes(adj.bundleVersion))) {
    const records: [string, BatchRef | null][] = [[`adjudication:${adj.id}`, adj.batch]];
    for (const a of unit.annotations) if (adj.basedOn.includes(a.id)) records.push([`annotation:${a.id}`, a.batch]);
    return { decided: [{ answer: adj.answer, source: 'adjudication', sources: [`adjudication:${adj.id}`, ...adj.basedOn.map((id) => `annotation:${id}`)].sort(), records }] };
  }
  if (options.policy === 'adjudicated') return { excluded: 'not_adjudicated' };
  const annotations = effectiveAnnotations(unit, options.filters).filter((a) => a.content.answer.kind === unit.task.kind);
  if (annotations.length === 0) return { excluded: 'no_work' };
  // Every answer on its own; one that says nothing decisive yields no rows (the converters say why).
  if (options.policy === 'all') return { decided: annotations.map((a) => fromAnnotations([a], 'annotation')) };
  const byKey = new Map<string, UnitAnnotation[]>();
  for (const a of annotations) {
    const key = decisionKey(unit.task, a.content.answer);
    if (key !== null) byKey.set(key, [...(byKey.get(key) ?? []), a]);
  }
  const voters = [...byKey.values()].reduce((n, g) => n + g.length, 0);
  if (voters < 2) return { excluded: 'too_few_answers' };
  const groups = [...byKey.values()].sort((x, y) => y.length - x.length);
  const top = groups[0]!;
  if (options.policy === 'unanimous') return groups.length === 1 ? { decided: [fromAnnotations(top, 'unanimous')] } : { excluded: 'no_agreement' };
  return top.length * 2 > voters ? { decided: [fromAnnotations(top, 'majority')] } : { excluded: 'no_majority' };
}
