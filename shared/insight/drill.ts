/**
 * The tasks behind a figure: what a reviewer opens from a flag or a chart. Disagreement lists
 * the tasks where the coders (or the pair, or the coder against the others) differ on the
 * field; position, the coder's preferences for the response shown first; gold, the gold items
 * the coder missed; work, every task the coder did.
 */
import type { Value } from '../agreement/index.ts';
import { coderValue, unitCount, valueOf, type Facts, type FieldFacts, type TaskRef } from './facts.ts';
import { olderModelRows, type OlderModelFacts } from './models.ts';
import type { Drill } from './report.ts';

export interface DrillRow extends TaskRef {
  /** The field unit (a response or step id), when narrower than the task. */
  readonly part: string | null;
  readonly field: string | null;
  /** Each coder's value (by annotator id or judge model), and the references. */
  readonly values: Readonly<Record<string, Value>>;
  readonly goldAnswer: Value | null;
  readonly adjudicated: Value | null;
}

export interface DrillResult {
  readonly drill: Drill;
  readonly total: number;
  readonly rows: readonly DrillRow[];
}

function differs(facts: Facts, f: FieldFacts, u: number, d: Drill): boolean {
  const at = (id: string) => {
    const c = facts.coderIds.indexOf(id);
    return c < 0 ? undefined : coderValue(f, c, u);
  };
  const given: Value[] = [];
  for (let c = 0; c < f.columns.length; c++) {
    const v = coderValue(f, c, u);
    if (v !== undefined) given.push(v);
  }
  if (d.judge) {
    const j = valueOf(f, f.judges.get(d.judge)?.[u]);
    return j !== undefined && given.some((v) => v !== j);
  }
  if (d.pair) {
    const a = at(d.pair[0]);
    const b = at(d.pair[1]);
    return a !== undefined && b !== undefined && a !== b;
  }
  if (d.coder) {
    const own = at(d.coder);
    return own !== undefined && given.length >= 2 && given.some((v) => v !== own);
  }
  return new Set(given).size > 1;
}

/** Up to `limit` tasks behind the drill, in read-model order, and how many there are in all. */
export function tasksBehind(facts: Facts & { readonly olderModel?: OlderModelFacts }, drill: Drill, limit = 500): DrillResult {
  if (drill.show === 'older-model') return { drill, ...olderModelRows(facts.olderModel, drill, limit) };
  const rows: DrillRow[] = [];
  let total = 0;
  const add = (row: DrillRow) => {
    total++;
    if (rows.length < limit) rows.push(row);
  };
  const rowOf = (f: FieldFacts, u: number): DrillRow => {
    const values: Record<string, Value> = {};
    for (let c = 0; c < f.columns.length; c++) {
      const v = coderValue(f, c, u);
      if (v !== undefined) values[facts.coders.get(facts.coderIds[c]!) ?? facts.coderIds[c]!] = v;
    }
    for (const [m, answers] of f.judges) {
      const v = valueOf(f, answers[u]);
      if (v !== undefined) values[`judge:${m}`] = v;
    }
    return { ...facts.tasks[f.task[u]!]!, part: f.part[u] || null, field: f.info.id, values, goldAnswer: valueOf(f, f.gold[u]) ?? null, adjudicated: valueOf(f, f.adjudicated[u]) ?? null };
  };
  const coderIndex = drill.coder === undefined ? -1 : facts.coderIds.indexOf(drill.coder);

  if (drill.show === 'position' || drill.show === 'work') {
    const who = drill.judge ?? drill.coder;
    if (who === undefined) return { drill, total: 0, rows };
    const trials = drill.judge ? facts.judgeTrials : facts.trials;
    if (drill.show === 'position') {
      const pref = facts.fields.get('compare.preference');
      // Preference units are one per compare task, in task order: find each trial's unit once.
      const unitOfTask = new Map<number, number>();
      pref?.task.forEach((t, u) => unitOfTask.set(t, u));
      const whoIndex = drill.judge ? trials.models.indexOf(who) : facts.coderIds.indexOf(who);
      for (let r = 0; r < trials.who.length; r++) {
        if (trials.who[r] !== whoIndex || trials.chosenPosition[r] !== 0) continue;
        const u = unitOfTask.get(trials.task[r]!);
        if (pref && u !== undefined) add(rowOf(pref, u));
      }
      return { drill, total, rows };
    }
    const seen = new Set<number>();
    const w = facts.work;
    for (let i = 0; i < w.task.length; i++) {
      const t = w.task[i]!;
      if (facts.coderIds[w.coder[i]!] !== who || seen.has(t)) continue;
      seen.add(t);
      add({ ...facts.tasks[t]!, part: null, field: null, values: {}, goldAnswer: null, adjudicated: null });
    }
    return { drill, total, rows };
  }

  const fields = drill.field ? [facts.fields.get(drill.field)].filter((f) => f !== undefined) : [...facts.fields.values()].filter((f) => f.info.aspect !== 'strength');
  for (const f of fields) {
    const n = unitCount(f);
    for (let u = 0; u < n; u++) {
      if (drill.show === 'gold') {
        // Codes index one dictionary: equal codes, equal values.
        const g = f.gold[u]!;
        if (g < 0) continue;
        const own = coderIndex >= 0 ? (f.columns[coderIndex]?.[u] ?? -1) : -1;
        const missed = drill.coder ? own >= 0 && own !== g : f.columns.some((col) => col[u]! >= 0 && col[u] !== g);
        if (missed) add(rowOf(f, u));
      } else if (differs(facts, f, u, drill)) add(rowOf(f, u));
    }
  }
  return { drill, total, rows };
}
