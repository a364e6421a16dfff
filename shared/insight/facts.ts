/**
 * Units → facts: every judgement the figures need, in flat form, read once from the export units
 * of the all-work read model. Only each annotator's latest submitted revision on the unit's task
 * hash counts (the same rule as exports). Nothing is computed here; figures.ts does that.
 */
import { NO_ERROR, type Value } from '../agreement/index.ts';
import { NO_CODE, type Columns } from '../agreement/columns.ts';
import { FieldBuilder, IntList, TrialBuilder, WorkBuilder } from './fact-columns.ts';
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
 * A field's units in columns of value codes (100k tasks make half a million units: an array
 * per unit, or a value per cell, would spend the time budget in the garbage collector). Unit u
 * belongs to task `task[u]` and names the response or step `part[u]` ('' for the task itself);
 * `columns[c][u]` is coder c's value as an index into `dictionary`, NO_CODE where none.
 */
export interface FieldFacts extends Columns {
  readonly info: FieldInfo;
  readonly task: Int32Array;
  readonly part: readonly string[];
  /** Every value given on the field (coders, gold, adjudications, judges), in the order first met. */
  readonly dictionary: readonly Value[];
  /** By coder index (Facts.coderIds), then unit; a coder who never answered the field may have no column. */
  readonly columns: readonly Int32Array[];
  /** Coders who answered each unit. */
  readonly answered: Int32Array;
  /** The gold answer's code where the task carries one for this field, and the adjudicated answer's in force. */
  readonly gold: Int32Array;
  readonly adjudicated: Int32Array;
  /** Judge model → its answer's code by unit. */
  readonly judges: ReadonlyMap<string, Int32Array>;
}

export const unitCount = (f: FieldFacts): number => f.task.length;

/** The value a code names (undefined for NO_CODE). */
export const valueOf = (f: FieldFacts, code: number | undefined): Value | undefined => (code === undefined || code < 0 ? undefined : f.dictionary[code]);

/** Coder c's value on unit u, if any. */
export const coderValue = (f: FieldFacts, c: number, u: number): Value | undefined => valueOf(f, f.columns[c]?.[u]);

/** The values unit u received, coder by coder (coder indexes beside them). */
export function unitValues(f: FieldFacts, u: number): { coders: number[]; values: Value[] } {
  const coders: number[] = [];
  const values: Value[] = [];
  for (let c = 0; c < f.columns.length; c++) {
    const v = coderValue(f, c, u);
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

/**
 * Preferences as position- and length-bias trials, one row per trial, in columns. Row r is a
 * preference on task `task[r]` by `who[r]`: a coder index (Facts.coderIds) in annotators'
 * trials, an index into `models` in judges'. It showed `displayed[r]` responses; the preferred
 * one was at displayed position `chosenPosition[r]` (0 = first) and is response `chosen[r]` of
 * the task (both −1: no single winner). The task's response lengths, in task order, are
 * `lengths[lengthAt[r] …]`, `lengthCount[r]` of them.
 */
export interface TrialFacts {
  readonly task: Int32Array;
  readonly who: Int32Array;
  readonly displayed: Int32Array;
  readonly chosenPosition: Int32Array;
  readonly chosen: Int32Array;
  readonly lengthAt: Int32Array;
  readonly lengthCount: Int32Array;
  readonly lengths: Float64Array;
  /** Judge model names (judges' trials). */
  readonly models: readonly string[];
}

/** No single winner (a tie, both unacceptable, cannot judge), in TrialFacts' chosen columns. */
export const NO_WINNER = -1;

/**
 * Per (task, annotator), in columns: when, in which batch, how long. Row i is coder
 * `coder[i]`'s work on task `task[i]`; weeks are ISO weeks ("2026-W18"), batches "device#seq"
 * (seq zero-padded so it sorts) or "unsealed", both as indexes into their lists.
 */
export interface WorkFacts {
  readonly task: Int32Array;
  readonly coder: Int32Array;
  readonly week: Int32Array;
  readonly batch: Int32Array;
  readonly activeMs: Float64Array;
  readonly weeks: readonly string[];
  readonly batches: readonly string[];
}

/** Error types counted per bundle version and where they were recorded. */
export interface FailureTally {
  readonly bundleId: string;
  readonly bundleVersion: number;
  readonly errorType: string;
  steps: number;
  exemplars: number;
  highlights: number;
}

/** A bundle version read. */
export interface VersionRef {
  readonly bundleId: string;
  readonly version: number;
}

export interface Facts {
  readonly tasks: TaskRef[];
  /** The bundle versions read, in the order first met, and each task's among them (by index): groups by bundle and version without reading every task. */
  readonly versions: readonly VersionRef[];
  readonly versionOf: Int32Array;
  /** Annotator id → display name. */
  readonly coders: Map<string, string>;
  /** Annotator ids in the order their coder index gives (first seen first). */
  readonly coderIds: string[];
  readonly fields: Map<string, FieldFacts>;
  readonly rankings: RankingFact[];
  readonly trials: TrialFacts;
  readonly judgeTrials: TrialFacts;
  readonly work: WorkFacts;
  /** Row of `work` by coder index then task index (−1: none), for drift. */
  readonly workOf: readonly Int32Array[];
  /** In the order first met. */
  readonly failures: readonly FailureTally[];
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

/**
 * A UTC timestamp's calendar day as a number (20260427), read from its digits without making a
 * string; anything else (an offset, another shape) is its own key.
 */
function utcDay(at: string): string | number {
  if (at.length < 20 || at.charCodeAt(at.length - 1) !== 90 /* Z */ || at.charCodeAt(4) !== 45 || at.charCodeAt(7) !== 45 || at.charCodeAt(10) !== 84 /* T */) return at;
  let n = 0;
  for (const i of DAY_DIGITS) {
    const d = at.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return at;
    n = n * 10 + d;
  }
  return n;
}
const DAY_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9];

/** Each annotator's latest submitted revision on this unit's task content. */
export function latestSubmitted(unit: ExportUnit): readonly UnitAnnotation[] {
  // The common case, read once per unit: every annotation submitted on this content by a
  // different annotator, already in annotator order. Then there is nothing to pick (and
  // nothing to copy: the list is read, never changed).
  const all = unit.annotations;
  let plain = true;
  for (let i = 0; i < all.length && plain; i++) {
    const a = all[i]!;
    plain = a.status === 'submitted' && a.taskHash === unit.taskHash && (i === 0 || all[i - 1]!.annotatorId < a.annotatorId);
  }
  if (plain) return all;
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

/** Reads the fields of one answer (an annotator's, the adjudicator's, or a judge's). */
interface AnswerLike {
  readonly preference?: { readonly choice: string; readonly strength: number | null } | null;
  readonly scores?: Record<string, Record<string, number | boolean | string>>;
  readonly taskScores?: Record<string, number | boolean | string>;
  /** Step verdicts as an annotator's answer lists them, or as a judge's map gives them. */
  readonly stepList?: readonly { readonly stepId: string; readonly verdict: string | null }[];
  readonly stepMap?: Record<string, string | null>;
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
      return { taskScores: answer.scores, stepList: answer.steps, firstErrorStepId: answer.firstErrorStepId, outcome: answer.outcome };
  }
}

/** Receives each value an answer gives, into the field's unit u. */
type Put = (f: FieldBuilder, u: number, v: Value) => void;

const scoreValue = (v: number | boolean | string): Value => (typeof v === 'boolean' ? String(v) : v);

/** Reads every unit once into facts. */
export function collectFacts(units: Iterable<ExportUnit>, opts: FactOptions = {}): Facts {
  const b = factsBuilder(opts);
  for (const unit of units) b.add(unit);
  return b.facts;
}

/** Facts built a unit at a time, for units that arrive asynchronously (a store read in turns, a server's batches). */
export function factsBuilder(opts: FactOptions = {}): { add: (unit: ExportUnit) => void; readonly facts: Facts } {
  const tasks: TaskRef[] = [];
  const coders = new Map<string, string>();
  const coderIds: string[] = [];
  const rankings: RankingFact[] = [];
  const trials = new TrialBuilder();
  const judgeTrials = new TrialBuilder();
  const failures = new Map<string, FailureTally>();
  const errorLabels = new Map<string, string>();
  const work = new WorkBuilder();

  const builders = new Map<string, FieldBuilder>();
  const fixed = (info: FieldInfo) => {
    const f = new FieldBuilder(info);
    builders.set(info.id, f);
    return f;
  };
  const preference = fixed(preferenceField());
  const strength = fixed(strengthField());
  const step = fixed(stepField());
  const firstError = fixed(firstErrorField());
  const outcome = fixed(outcomeField());
  // Score fields by task kind then criterion id: found without building "kind.score.id" per score.
  const scoreFields = new Map<TaskKind, Map<string, FieldBuilder>>();
  const versions: VersionRef[] = [];
  /** Each version's rubric criteria by id, by version index. */
  const criteriaOf: Map<string, Criterion>[] = [];
  const versionIndex = new Map<string, number>();
  const versionOf = new IntList();
  let version = -1;
  const coderIndex = new Map<string, number>();
  // Weeks by UTC calendar day: one Date per day, not per answer (timestamps with an offset are not cached).
  const weeks = new Map<string | number, number>();

  // The unit being read: set once per unit rather than passed through every call.
  let t = 0;
  let criteria = new Map<string, Criterion>();
  let lastBundle: string | null = null;
  let lastVersion = -1;
  let coder = 0;
  let judge = '';
  const toCoder: Put = (f, u, v) => {
    const col = f.column(coder);
    if (col[u] === NO_CODE) f.answered[u]!++;
    col[u] = f.code(v);
  };
  const toAdjudicated: Put = (f, u, v) => void (f.adjudicated[u] = f.code(v));
  const toJudge: Put = (f, u, v) => void (f.judge(judge)[u] = f.code(v));

  const scores = (kind: TaskKind, part: string, given: Record<string, number | boolean | string> | undefined, put: Put) => {
    if (!given) return;
    let byCriterion = scoreFields.get(kind);
    if (!byCriterion) scoreFields.set(kind, (byCriterion = new Map()));
    for (const criterionId in given) {
      const v = scoreValue(given[criterionId]!);
      let f = byCriterion.get(criterionId);
      if (!f) {
        const info = scoreField(kind, criterionId, criteria.get(criterionId), v);
        f = builders.get(info.id) ?? new FieldBuilder(info);
        builders.set(info.id, f);
        byCriterion.set(criterionId, f);
      }
      put(f, f.unit(t, part), v);
    }
  };

  /** Every value of one answer. */
  const read = (task: Task, a: AnswerLike, put: Put) => {
    if (task.kind === 'compare') {
      if (a.preference) {
        put(preference, preference.unit(t, ''), a.preference.choice);
        const s = signedStrength(task, a.preference.choice, a.preference.strength);
        if (s !== null) put(strength, strength.unit(t, ''), s);
      }
      if (a.scores) for (const responseId in a.scores) scores(task.kind, responseId, a.scores[responseId], put);
    } else if (task.kind === 'exemplar') {
      scores(task.kind, 'draft', a.scores?.['draft'], put);
    } else {
      scores(task.kind, '', a.taskScores ?? a.scores?.['task'], put);
      if (a.stepList) for (const s of a.stepList) if (s.verdict !== null && s.verdict !== undefined) put(step, step.unit(t, s.stepId), s.verdict);
      if (a.stepMap) {
        for (const stepId in a.stepMap) {
          const v = a.stepMap[stepId];
          if (v !== null && v !== undefined) put(step, step.unit(t, stepId), v);
        }
      }
      if (a.firstErrorStepId !== undefined) {
        const i = firstErrorIndex(task, a.firstErrorStepId);
        if (i !== null) put(firstError, firstError.unit(t, ''), i);
      }
      if (a.outcome) put(outcome, outcome.unit(t, ''), a.outcome);
    }
  };

  /** A preference on the task being read as a bias trial, when its display order was recorded. */
  const trial = (into: TrialBuilder, task: Extract<Task, { kind: 'compare' }>, who: number, choice: string | null, displayOrder: readonly string[]) => {
    const known = preferenceTrial(task, choice, displayOrder);
    if (known) into.add(t, who, displayOrder.length, known.chosenPosition, known.chosen, task.responses);
  };
  const setGold = (f: FieldBuilder, v: Value) => {
    // The unit first: adding it may grow (and replace) the gold column.
    const u = f.unit(t, '');
    f.gold[u] = f.code(v);
  };

  const fail = (bundle: ExportUnit['bundle'], errorType: string, source: 'steps' | 'exemplars' | 'highlights') => {
    const key = `${bundle.id}\u0000${bundle.version}\u0000${errorType}`;
    let c = failures.get(key);
    if (!c) failures.set(key, (c = { bundleId: bundle.id, bundleVersion: bundle.version, errorType, steps: 0, exemplars: 0, highlights: 0 }));
    c[source]++;
  };

  const add = (unit: ExportUnit): void => {
    const task = unit.task;
    // Units come bundle version by bundle version: look the rubric up only when the version changes.
    if (unit.bundle.id !== lastBundle || unit.bundle.version !== lastVersion) {
      lastBundle = unit.bundle.id;
      lastVersion = unit.bundle.version;
      const versionKey = `${unit.bundle.id}@${unit.bundle.version}`;
      let v = versionIndex.get(versionKey);
      if (v === undefined) {
        // A version met for the first time: its rubric's criteria, and its taxonomy's labels.
        versionIndex.set(versionKey, (v = versions.push({ bundleId: unit.bundle.id, version: unit.bundle.version }) - 1));
        const rubric = opts.rubricOf?.(unit.bundle.id, unit.bundle.version);
        criteriaOf.push(new Map((rubric?.criteria ?? []).map((c) => [c.id, c])));
        for (const e of opts.taxonomyOf?.(unit.bundle.id, unit.bundle.version)?.errorTypes ?? []) errorLabels.set(e.id, e.label);
      }
      version = v;
      criteria = criteriaOf[v]!;
    }
    t = tasks.length;
    versionOf.push(version);
    tasks.push({ bundleId: unit.bundle.id, bundleVersion: unit.bundle.version, taskId: task.id, taskHash: unit.taskHash, kind: task.kind, gold: unit.gold });

    const annotations = latestSubmitted(unit);
    let ranks: Map<string, number[]> | null = null;
    for (const a of annotations) {
      const id = a.annotatorId;
      let ci = coderIndex.get(id);
      if (ci === undefined) {
        ci = coderIds.length;
        coderIndex.set(id, ci);
        coderIds.push(id);
        coders.set(id, a.annotatorName);
      }
      const answer = a.content.answer;
      if (answer.kind !== task.kind) continue;
      coder = ci;
      read(task, fromAnswer(answer), toCoder);

      const at = a.submittedAt ?? a.updatedAt;
      const day = utcDay(at);
      let week = weeks.get(day);
      if (week === undefined) weeks.set(day, (week = work.weekCode(isoWeek(at))));
      work.add(t, ci, week, work.batchCode(a), a.activeMs);

      if (task.kind === 'compare' && answer.kind === 'compare') {
        const r = ranksOf(task, answer.ranking);
        if (r) (ranks ??= new Map()).set(id, r);
        trial(trials, task, ci, answer.preference?.choice ?? null, a.displayOrder);
      }
      if (answer.kind === 'trajectory') for (const s of answer.steps) for (const e of s.errorTypes) fail(unit.bundle, e, 'steps');
      if (answer.kind === 'exemplar') for (const e of answer.errorTypes) fail(unit.bundle, e, 'exemplars');
      for (const h of a.content.highlights) for (const e of h.errorTypes) fail(unit.bundle, e, 'highlights');
    }
    if (ranks) rankings.push({ task: t, ranks });

    if (unit.adjudication && unit.adjudication.answer.kind === task.kind && (!unit.adjudication.taskHash || unit.adjudication.taskHash === unit.taskHash)) {
      read(task, fromAnswer(unit.adjudication.answer), toAdjudicated);
    }
    if (task.gold) {
      if (task.kind === 'compare') setGold(preference, task.gold.preferred);
      if (task.kind === 'trajectory') {
        const i = firstErrorIndex(task, task.gold.firstErrorStepId);
        if (i !== null) setGold(firstError, i);
      }
    }
    for (const j of task.judges ?? []) {
      const like: AnswerLike = {
        preference: j.preference ? { choice: j.preference.choice, strength: j.preference.strength ?? null } : null,
        scores: j.scores,
        taskScores: j.scores?.['task'],
        stepMap: j.steps,
        firstErrorStepId: j.firstErrorStepId,
        outcome: j.outcome ?? null,
      };
      judge = j.model;
      read(task, like, toJudge);
      if (task.kind === 'compare' && j.preference && j.displayOrder) trial(judgeTrials, task, judgeTrials.model(j.model), j.preference.choice, j.displayOrder);
    }
  };

  return {
    add,
    get facts(): Facts {
      const { work: w, workOf } = work.done(tasks.length);
      return {
        tasks,
        versions,
        versionOf: versionOf.done(),
        coders,
        coderIds,
        fields: new Map([...builders].map(([id, f]) => [id, f.done()])),
        rankings,
        trials: trials.done(),
        judgeTrials: judgeTrials.done(),
        work: w,
        workOf,
        failures: [...failures.values()],
        errorLabels,
      };
    },
  };
}

/**
 * Where a preference sits as a bias trial: the displayed position and task index of the
 * preferred response (NO_WINNER for both when there is no single winner). Without a recorded
 * display order (older work) the position is unknown, so the trial is left out (null) rather
 * than guessed.
 */
function preferenceTrial(task: Extract<Task, { kind: 'compare' }>, choice: string | null, displayOrder: readonly string[]): { chosenPosition: number; chosen: number } | null {
  if (choice === null) return null;
  const known = displayOrder.length === task.responses.length && task.responses.every((r) => displayOrder.includes(r.id));
  if (!known) return null;
  if (NO_SINGLE_WINNER.has(choice)) return { chosenPosition: NO_WINNER, chosen: NO_WINNER };
  const chosen = task.responses.findIndex((r) => r.id === choice);
  if (chosen < 0) return null;
  return { chosenPosition: displayOrder.indexOf(choice), chosen };
}
