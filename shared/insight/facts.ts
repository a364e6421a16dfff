/**
 * Units → facts: every judgement the figures need, in flat form, read once from the export units
 * of the all-work read model. Only each annotator's latest submitted revision on the unit's task
 * hash counts (the same rule as exports). Nothing is computed here; figures.ts does that.
 */
import { NO_ERROR, type Value } from '../agreement/index.ts';
import type { Answer, Criterion, Rubric, Task, TaskKind, Taxonomy } from '../domain/index.ts';
import type { ExportUnit, UnitAnnotation } from '../export/unit.ts';
import { firstErrorField, outcomeField, preferenceField, scoreField, stepField, strengthField, type FieldInfo } from './fields.ts';

/** One task as the figures and the drill-down name it. */
export interface TaskRef {
  readonly bundleId: string;
  readonly bundleVersion: number;
  readonly taskId: string;
  readonly taskHash: string;
  readonly kind: TaskKind;
  readonly gold: boolean;
}

/** What one coder (annotator, or judge) gave one field unit. */
export interface FieldUnit {
  /** Index into Facts.tasks. */
  readonly task: number;
  readonly values: Map<string, Value>;
  /** The gold answer, when the task carries one for this field. */
  gold: Value | null;
  /** The adjudicated answer in force. */
  adjudicated: Value | null;
  /** Judges' answers by model name. */
  readonly judges: Map<string, Value>;
}

export interface FieldFacts {
  readonly info: FieldInfo;
  /** Keyed by unit id: `${task index}` or `${task index}/${response or step id}`. */
  readonly units: Map<string, FieldUnit>;
}

/** One ranking of one task's responses by one coder: ranks aligned with task.responses (1 = best). */
export interface RankingFact {
  readonly task: number;
  readonly ranks: Map<string, number[]>;
}

/** A preference as a position-bias and length-bias trial. */
export interface PreferenceTrial {
  readonly task: number;
  readonly coder: string;
  /** Responses displayed, and the displayed position (0 = first) of the preferred one (null: no single winner). */
  readonly displayed: number;
  readonly chosenPosition: number | null;
  /** Response lengths in characters (task order) and the preferred one's index (null: no single winner). */
  readonly lengths: readonly number[];
  readonly chosen: number | null;
}

/** Per (task, annotator): when, in which batch, how long. */
export interface WorkFact {
  readonly task: number;
  readonly coder: string;
  /** ISO week of submission ("2026-W18"). */
  readonly week: string;
  /** The batch it travelled in: "device#seq" (seq zero-padded so it sorts), or "unsealed". */
  readonly batch: string;
  readonly activeMs: number;
}

export interface FailureFact {
  readonly bundleId: string;
  readonly bundleVersion: number;
  readonly errorType: string;
  readonly source: 'steps' | 'exemplars' | 'highlights';
}

export interface Facts {
  readonly tasks: TaskRef[];
  /** Annotator id → display name. */
  readonly coders: Map<string, string>;
  readonly fields: Map<string, FieldFacts>;
  readonly rankings: RankingFact[];
  readonly trials: PreferenceTrial[];
  readonly judgeTrials: PreferenceTrial[];
  readonly work: WorkFact[];
  /** Work facts by task index then coder, for drift. */
  readonly workOf: Map<number, Map<string, WorkFact>>;
  readonly failures: FailureFact[];
  /** Error type id → label, from the taxonomies given. */
  readonly errorLabels: Map<string, string>;
}

export interface FactOptions {
  /** The rubric of a bundle version, for criterion labels and scale levels. */
  readonly rubricOf?: (bundleId: string, version: number) => Rubric | undefined;
  readonly taxonomyOf?: (bundleId: string, version: number) => Taxonomy | undefined;
}

/** ISO 8601 week of a timestamp, e.g. "2026-W18" (weeks start on Monday; week 1 holds January 4th). */
export function isoWeek(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 'unknown';
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
  const year = thursday.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round((thursday.getTime() - jan4.getTime()) / 86_400_000 / 7 - ((jan4.getUTCDay() + 6) % 7) / 7 + 3 / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Each annotator's latest submitted revision on this unit's task content. */
export function latestSubmitted(unit: ExportUnit): UnitAnnotation[] {
  const latest = new Map<string, UnitAnnotation>();
  for (const a of unit.annotations) {
    if (a.status !== 'submitted' || a.taskHash !== unit.taskHash) continue;
    const had = latest.get(a.annotatorId);
    if (!had || a.revision > had.revision) latest.set(a.annotatorId, a);
  }
  return [...latest.values()].sort((a, b) => (a.annotatorId < b.annotatorId ? -1 : 1));
}

const NO_SINGLE_WINNER = new Set(['tie', 'both_unacceptable', 'cannot_judge']);

/** Ranks (1 = best, tied groups share a rank) aligned with the task's responses; null if unranked. */
function ranksOf(task: Extract<Task, { kind: 'compare' }>, ranking: readonly (readonly string[])[] | null | undefined): number[] | null {
  if (!ranking || ranking.length === 0) return null;
  const rank = new Map<string, number>();
  ranking.forEach((group, i) => group.forEach((id) => rank.set(id, i + 1)));
  const ranks = task.responses.map((r) => rank.get(r.id) ?? Number.NaN);
  return ranks.some((r) => Number.isNaN(r)) ? null : ranks;
}

function signedStrength(task: Extract<Task, { kind: 'compare' }>, choice: string, strength: number | null): number | null {
  if (task.responses.length !== 2) return null;
  if (choice === 'tie') return 0;
  if (strength === null) return null;
  if (choice === task.responses[0]!.id) return strength;
  if (choice === task.responses[1]!.id) return -strength;
  return null;
}

function firstErrorIndex(task: Extract<Task, { kind: 'trajectory' }>, stepId: string | null): number | null {
  if (stepId === null) return NO_ERROR;
  const i = task.steps.findIndex((s) => s.id === stepId);
  return i < 0 ? null : i;
}

/** The sides of an answer the figures read, as field id → (unit suffix → value). */
type Slots = Map<string, Map<string, Value>>;

function put(slots: Slots, field: string, suffix: string, value: Value | null | undefined): void {
  if (value === null || value === undefined) return;
  let m = slots.get(field);
  if (!m) slots.set(field, (m = new Map()));
  m.set(suffix, value);
}

const scoreValue = (v: number | boolean | string): Value => (typeof v === 'boolean' ? String(v) : v);

/** Reads the fields of one answer (an annotator's, the adjudicator's, or a judge's). */
interface AnswerLike {
  readonly preference?: { readonly choice: string; readonly strength: number | null } | null;
  readonly scores?: Record<string, Record<string, number | boolean | string>>;
  readonly taskScores?: Record<string, number | boolean | string>;
  readonly steps?: Record<string, string | null>;
  readonly firstErrorStepId?: string | null;
  readonly outcome?: string | null;
}

function fromAnswer(answer: Answer): AnswerLike {
  switch (answer.kind) {
    case 'compare':
      return { preference: answer.preference, scores: answer.scores };
    case 'exemplar':
      return { scores: { draft: answer.draftScores } };
    case 'trajectory':
      return {
        taskScores: answer.scores,
        steps: Object.fromEntries(answer.steps.map((s) => [s.stepId, s.verdict])),
        firstErrorStepId: answer.firstErrorStepId,
        outcome: answer.outcome,
      };
  }
}

function slotsOf(task: Task, a: AnswerLike, criteria: Map<string, Criterion>, ensure: (id: string, make: () => FieldInfo) => void): Slots {
  const slots: Slots = new Map();
  const score = (suffix: string, scores: Record<string, number | boolean | string> | undefined) => {
    for (const [criterionId, raw] of Object.entries(scores ?? {})) {
      const v = scoreValue(raw);
      const c = criteria.get(criterionId);
      const id = `${task.kind}.score.${criterionId}`;
      ensure(id, () => scoreField(task.kind, criterionId, c, v));
      put(slots, id, suffix, v);
    }
  };
  if (task.kind === 'compare') {
    if (a.preference) {
      put(slots, 'compare.preference', '', a.preference.choice);
      put(slots, 'compare.strength', '', signedStrength(task, a.preference.choice, a.preference.strength));
    }
    for (const [responseId, scores] of Object.entries(a.scores ?? {})) score(responseId, scores);
  } else if (task.kind === 'exemplar') {
    score('draft', a.scores?.['draft']);
  } else {
    score('', a.taskScores ?? a.scores?.['task']);
    for (const [stepId, verdict] of Object.entries(a.steps ?? {})) put(slots, 'trajectory.step', stepId, verdict);
    if (a.firstErrorStepId !== undefined) put(slots, 'trajectory.first_error', '', firstErrorIndex(task, a.firstErrorStepId));
    put(slots, 'trajectory.outcome', '', a.outcome);
  }
  return slots;
}

function batchKey(a: UnitAnnotation): string {
  return a.batch ? `${a.batch.deviceId}#${String(a.batch.seq).padStart(9, '0')}` : 'unsealed';
}

/** Reads every unit once into facts. */
export function collectFacts(units: Iterable<ExportUnit>, opts: FactOptions = {}): Facts {
  const facts: Facts = {
    tasks: [],
    coders: new Map(),
    fields: new Map(),
    rankings: [],
    trials: [],
    judgeTrials: [],
    work: [],
    workOf: new Map(),
    failures: [],
    errorLabels: new Map(),
  };
  const fixed = [preferenceField(), strengthField(), stepField(), firstErrorField(), outcomeField()];
  const ensure = (id: string, make: () => FieldInfo) => {
    if (!facts.fields.has(id)) facts.fields.set(id, { info: make(), units: new Map() });
  };
  for (const f of fixed) ensure(f.id, () => f);
  const criteriaCache = new Map<string, Map<string, Criterion>>();
  const taxonomies = new Set<string>();

  for (const unit of units) {
    const task = unit.task;
    const versionKey = `${unit.bundle.id}@${unit.bundle.version}`;
    let criteria = criteriaCache.get(versionKey);
    if (!criteria) {
      const rubric = opts.rubricOf?.(unit.bundle.id, unit.bundle.version);
      criteria = new Map((rubric?.criteria ?? []).map((c) => [c.id, c]));
      criteriaCache.set(versionKey, criteria);
    }
    if (!taxonomies.has(versionKey)) {
      taxonomies.add(versionKey);
      for (const e of opts.taxonomyOf?.(unit.bundle.id, unit.bundle.version)?.errorTypes ?? []) facts.errorLabels.set(e.id, e.label);
    }
    const t = facts.tasks.length;
    facts.tasks.push({ bundleId: unit.bundle.id, bundleVersion: unit.bundle.version, taskId: task.id, taskHash: unit.taskHash, kind: task.kind, gold: unit.gold });

    const cell = (field: string, suffix: string): FieldUnit => {
      const f = facts.fields.get(field)!;
      const key = suffix ? `${t}/${suffix}` : `${t}`;
      let u = f.units.get(key);
      if (!u) f.units.set(key, (u = { task: t, values: new Map(), gold: null, adjudicated: null, judges: new Map() }));
      return u;
    };
    const each = (slots: Slots, set: (u: FieldUnit, v: Value) => void) => {
      for (const [field, bySuffix] of slots) for (const [suffix, v] of bySuffix) set(cell(field, suffix), v);
    };

    const annotations = latestSubmitted(unit);
    const ranks = new Map<string, number[]>();
    for (const a of annotations) {
      const coder = a.annotatorId;
      if (!facts.coders.has(coder)) facts.coders.set(coder, a.annotatorName);
      const answer = a.content.answer;
      if (answer.kind !== task.kind) continue;
      each(slotsOf(task, fromAnswer(answer), criteria, ensure), (u, v) => u.values.set(coder, v));

      const submitted = a.submittedAt ?? a.updatedAt;
      const work: WorkFact = { task: t, coder, week: isoWeek(submitted), batch: batchKey(a), activeMs: a.activeMs };
      facts.work.push(work);
      let byCoder = facts.workOf.get(t);
      if (!byCoder) facts.workOf.set(t, (byCoder = new Map()));
      byCoder.set(coder, work);

      if (task.kind === 'compare' && answer.kind === 'compare') {
        const r = ranksOf(task, answer.ranking);
        if (r) ranks.set(coder, r);
        const trial = preferenceTrial(task, t, coder, answer.preference?.choice ?? null, a.displayOrder);
        if (trial) facts.trials.push(trial);
      }
      for (const id of errorTypesOf(answer, 'steps')) facts.failures.push({ bundleId: unit.bundle.id, bundleVersion: unit.bundle.version, errorType: id, source: 'steps' });
      for (const id of errorTypesOf(answer, 'exemplars')) facts.failures.push({ bundleId: unit.bundle.id, bundleVersion: unit.bundle.version, errorType: id, source: 'exemplars' });
      for (const h of a.content.highlights) for (const id of h.errorTypes) facts.failures.push({ bundleId: unit.bundle.id, bundleVersion: unit.bundle.version, errorType: id, source: 'highlights' });
    }
    if (ranks.size > 0) facts.rankings.push({ task: t, ranks });

    if (unit.adjudication && unit.adjudication.answer.kind === task.kind && (!unit.adjudication.taskHash || unit.adjudication.taskHash === unit.taskHash)) {
      each(slotsOf(task, fromAnswer(unit.adjudication.answer), criteria, ensure), (u, v) => (u.adjudicated = v));
    }
    if (task.gold) {
      if (task.kind === 'compare') cell('compare.preference', '').gold = task.gold.preferred;
      if (task.kind === 'trajectory') {
        const i = firstErrorIndex(task, task.gold.firstErrorStepId);
        if (i !== null) cell('trajectory.first_error', '').gold = i;
      }
    }
    for (const judge of task.judges ?? []) {
      const like: AnswerLike = { preference: judge.preference ?? null, scores: judge.scores, taskScores: judge.scores?.['task'], steps: judge.steps, firstErrorStepId: judge.firstErrorStepId, outcome: judge.outcome ?? null };
      each(slotsOf(task, like, criteria, ensure), (u, v) => u.judges.set(judge.model, v));
      if (task.kind === 'compare' && judge.preference && judge.displayOrder) {
        const trial = preferenceTrial(task, t, judge.model, judge.preference.choice, judge.displayOrder);
        if (trial) facts.judgeTrials.push(trial);
      }
    }
  }
  return facts;
}

function errorTypesOf(answer: Answer, source: 'steps' | 'exemplars'): string[] {
  if (source === 'steps') return answer.kind === 'trajectory' ? answer.steps.flatMap((s) => s.errorTypes) : [];
  return answer.kind === 'exemplar' ? answer.errorTypes : [];
}

/**
 * A preference as a bias trial. Without a recorded display order (older work) the position is
 * unknown, so the trial is left out of position bias rather than guessed.
 */
function preferenceTrial(task: Extract<Task, { kind: 'compare' }>, t: number, coder: string, choice: string | null, displayOrder: readonly string[]): PreferenceTrial | null {
  if (choice === null) return null;
  const known = displayOrder.length === task.responses.length && task.responses.every((r) => displayOrder.includes(r.id));
  if (!known) return null;
  const single = !NO_SINGLE_WINNER.has(choice);
  const chosen = single ? task.responses.findIndex((r) => r.id === choice) : -1;
  if (single && chosen < 0) return null;
  return {
    task: t,
    coder,
    displayed: displayOrder.length,
    chosenPosition: single ? displayOrder.indexOf(choice) : null,
    lengths: task.responses.map((r) => r.content.length),
    chosen: single ? chosen : null,
  };
}
