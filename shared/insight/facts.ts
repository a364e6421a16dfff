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

/**
 * A field's units in columns (100k tasks make half a million units: one object per unit would
 * spend the time budget in the garbage collector). Unit u belongs to task `task[u]`, names the
 * response or step `part[u]` ('' for the task itself); `values[c][u]` is coder c's value.
 */
export interface FieldFacts {
  readonly info: FieldInfo;
  readonly task: number[];
  readonly part: string[];
  /** By coder index (Facts.coderIds), then unit: undefined where the coder gave none. */
  readonly values: (Value | undefined)[][];
  /** Coders who answered each unit. */
  readonly answered: number[];
  /** The gold answer where the task carries one for this field, and the adjudicated answer in force. */
  readonly gold: (Value | null)[];
  readonly adjudicated: (Value | null)[];
  /** Judge model → unit → its answer. */
  readonly judges: Map<string, Map<number, Value>>;
}

export const unitCount = (f: FieldFacts): number => f.task.length;

/** The values unit u received, coder by coder (coder indexes beside them). */
export function unitValues(f: FieldFacts, u: number): { coders: number[]; values: Value[] } {
  const coders: number[] = [];
  const values: Value[] = [];
  for (let c = 0; c < f.values.length; c++) {
    const v = f.values[c]![u];
    if (v !== undefined) {
      coders.push(c);
      values.push(v);
    }
  }
  return { coders, values };
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
  /** Annotator ids in the order their coder index gives (first seen first). */
  readonly coderIds: string[];
  readonly fields: Map<string, FieldFacts>;
  readonly rankings: RankingFact[];
  readonly trials: PreferenceTrial[];
  readonly judgeTrials: PreferenceTrial[];
  readonly work: WorkFact[];
  /** Work facts by coder index then task index, for drift. */
  readonly workOf: (WorkFact | undefined)[][];
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
  // The week's Thursday decides its year; its day of that year decides the week number.
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7));
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Each annotator's latest submitted revision on this unit's task content. */
export function latestSubmitted(unit: ExportUnit): UnitAnnotation[] {
  // The common case, read once per unit: every annotation submitted on this content by a
  // different annotator, already in annotator order. Then there is nothing to pick.
  const all = unit.annotations;
  let plain = true;
  for (let i = 0; i < all.length && plain; i++) {
    const a = all[i]!;
    plain = a.status === 'submitted' && a.taskHash === unit.taskHash && (i === 0 || all[i - 1]!.annotatorId < a.annotatorId);
  }
  if (plain) return all.slice();
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

/** Receives each value an answer gives: field id, unit part ('' for the task), value. */
type Emit = (field: string, part: string, value: Value) => void;

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

/** The fields known so far, and adding one: asked once per score, so no closure is made to build it. */
interface Ensure {
  has(id: string): boolean;
  put(info: FieldInfo): void;
}

function emitScores(kind: TaskKind, part: string, scores: Record<string, number | boolean | string> | undefined, criteria: Map<string, Criterion>, ensure: Ensure, emit: Emit): void {
  if (!scores) return;
  for (const criterionId in scores) {
    const v = scoreValue(scores[criterionId]!);
    const id = `${kind}.score.${criterionId}`;
    if (!ensure.has(id)) ensure.put(scoreField(kind, criterionId, criteria.get(criterionId), v));
    emit(id, part, v);
  }
}

/** Emits every value of one answer. Module-level helpers, no closures: this runs once per answer. */
function readAnswer(task: Task, a: AnswerLike, criteria: Map<string, Criterion>, ensure: Ensure, emit: Emit): void {
  if (task.kind === 'compare') {
    if (a.preference) {
      emit('compare.preference', '', a.preference.choice);
      const s = signedStrength(task, a.preference.choice, a.preference.strength);
      if (s !== null) emit('compare.strength', '', s);
    }
    if (a.scores) for (const responseId in a.scores) emitScores(task.kind, responseId, a.scores[responseId], criteria, ensure, emit);
  } else if (task.kind === 'exemplar') {
    emitScores(task.kind, 'draft', a.scores?.['draft'], criteria, ensure, emit);
  } else {
    emitScores(task.kind, '', a.taskScores ?? a.scores?.['task'], criteria, ensure, emit);
    if (a.steps) {
      for (const stepId in a.steps) {
        const v = a.steps[stepId];
        if (v !== null && v !== undefined) emit('trajectory.step', stepId, v);
      }
    }
    if (a.firstErrorStepId !== undefined) {
      const i = firstErrorIndex(task, a.firstErrorStepId);
      if (i !== null) emit('trajectory.first_error', '', i);
    }
    if (a.outcome) emit('trajectory.outcome', '', a.outcome);
  }
}

function batchKey(a: UnitAnnotation): string {
  return a.batch ? `${a.batch.deviceId}#${String(a.batch.seq).padStart(9, '0')}` : 'unsealed';
}

/** Reads every unit once into facts. */
export function collectFacts(units: Iterable<ExportUnit>, opts: FactOptions = {}): Facts {
  const b = factsBuilder(opts);
  for (const unit of units) b.add(unit);
  return b.facts;
}

/** Facts built a unit at a time, for units that arrive asynchronously (a store read in turns, a server's batches). */
export function factsBuilder(opts: FactOptions = {}): { add: (unit: ExportUnit) => void; readonly facts: Facts } {
  const facts: Facts = {
    tasks: [],
    coders: new Map(),
    coderIds: [],
    fields: new Map(),
    rankings: [],
    trials: [],
    judgeTrials: [],
    work: [],
    workOf: [],
    failures: [],
    errorLabels: new Map(),
  };
  const fixed = [preferenceField(), strengthField(), stepField(), firstErrorField(), outcomeField()];
  const ensure: Ensure = {
    has: (id) => facts.fields.has(id),
    put: (info) => void facts.fields.set(info.id, { info, task: [], part: [], values: [], answered: [], gold: [], adjudicated: [], judges: new Map() }),
  };
  for (const f of fixed) if (!ensure.has(f.id)) ensure.put(f);
  const criteriaCache = new Map<string, Map<string, Criterion>>();
  const coderIndex = new Map<string, number>();
  // Weeks by UTC calendar day: one Date per day, not per answer (timestamps with an offset are not cached).
  const weeks = new Map<string, string>();
  const taxonomies = new Set<string>();

  // The unit being read, and the functions reading it: made once per builder rather than once
  // per unit, since they run for every answer of 100k units.
  const cur: { t: number; task: Task | null; criteria: Map<string, Criterion>; local: Map<string, Map<string, number>>; coder: number; judge: string; set: (f: FieldFacts, u: number, v: Value) => void } = {
    t: 0,
    task: null,
    criteria: new Map(),
    // This task's units, by field then part: units are only ever added while their task is read.
    local: new Map(),
    coder: 0,
    judge: '',
    set: () => undefined,
  };
  const cell = (field: string, suffix: string): [FieldFacts, number] => {
    const f = facts.fields.get(field)!;
    let parts = cur.local.get(field);
    if (!parts) cur.local.set(field, (parts = new Map()));
    let u = parts.get(suffix);
    if (u === undefined) {
      u = f.task.length;
      parts.set(suffix, u);
      f.task.push(cur.t);
      f.part.push(suffix);
      f.answered.push(0);
      f.gold.push(null);
      f.adjudicated.push(null);
    }
    return [f, u];
  };
  const emit: Emit = (field, part, v) => {
    const [f, u] = cell(field, part);
    cur.set(f, u, v);
  };
  const read = (answer: AnswerLike, set: (f: FieldFacts, u: number, v: Value) => void) => {
    cur.set = set;
    readAnswer(cur.task!, answer, cur.criteria, ensure, emit);
  };
  const setCoder = (f: FieldFacts, u: number, v: Value) => {
    const c = cur.coder;
    while (f.values.length <= c) f.values.push([]);
    f.values[c]![u] = v;
    f.answered[u]!++;
  };
  const setAdjudicated = (f: FieldFacts, u: number, v: Value) => {
    f.adjudicated[u] = v;
  };
  const setJudge = (f: FieldFacts, u: number, v: Value) => {
    let m = f.judges.get(cur.judge);
    if (!m) f.judges.set(cur.judge, (m = new Map()));
    m.set(u, v);
  };

  const add = (unit: ExportUnit): void => {
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

    cur.t = t;
    cur.task = task;
    cur.criteria = criteria;
    cur.local.clear();

    const annotations = latestSubmitted(unit);
    const ranks = new Map<string, number[]>();
    for (const a of annotations) {
      const coder = a.annotatorId;
      let ci = coderIndex.get(coder);
      if (ci === undefined) {
        ci = facts.coderIds.length;
        coderIndex.set(coder, ci);
        facts.coderIds.push(coder);
        facts.coders.set(coder, a.annotatorName);
      }
      const answer = a.content.answer;
      if (answer.kind !== task.kind) continue;
      const c = ci;
      cur.coder = c;
      read(fromAnswer(answer), setCoder);

      const at = a.submittedAt ?? a.updatedAt;
      const day = at.endsWith('Z') ? at.slice(0, 10) : at;
      let week = weeks.get(day);
      if (week === undefined) weeks.set(day, (week = isoWeek(at)));
      const work: WorkFact = { task: t, coder, week, batch: batchKey(a), activeMs: a.activeMs };
      facts.work.push(work);
      while (facts.workOf.length <= c) facts.workOf.push([]);
      facts.workOf[c]![t] = work;

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
      read(fromAnswer(unit.adjudication.answer), setAdjudicated);
    }
    if (task.gold) {
      const setGold = (field: string, v: Value) => {
        const [f, u] = cell(field, '');
        f.gold[u] = v;
      };
      if (task.kind === 'compare') setGold('compare.preference', task.gold.preferred);
      if (task.kind === 'trajectory') {
        const i = firstErrorIndex(task, task.gold.firstErrorStepId);
        if (i !== null) setGold('trajectory.first_error', i);
      }
    }
    for (const judge of task.judges ?? []) {
      const like: AnswerLike = { preference: judge.preference ? { choice: judge.preference.choice, strength: judge.preference.strength ?? null } : null, scores: judge.scores, taskScores: judge.scores?.['task'], steps: judge.steps, firstErrorStepId: judge.firstErrorStepId, outcome: judge.outcome ?? null };
      cur.judge = judge.model;
      read(like, setJudge);
      if (task.kind === 'compare' && judge.preference && judge.displayOrder) {
        const trial = preferenceTrial(task, t, judge.model, judge.preference.choice, judge.displayOrder);
        if (trial) facts.judgeTrials.push(trial);
      }
    }
  };
  return { add, facts };
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
