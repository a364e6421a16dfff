/**
 * The tasks behind a figure: what a reviewer opens from a flag or a chart. Disagreement lists
 * the tasks where the coders (or the pair, or the coder against the others) differ on the
 * field; position, the coder's preferences for the response shown first; gold, the gold items
 * the coder missed; work, every task the coder did.
 */
import type { Value } from '../agreement/index.ts';
import { unitCount, type Facts, type FieldFacts, type TaskRef } from './facts.ts';
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
    return c < 0 ? undefined : f.values[c]?.[u];
  };
  const given: Value[] = [];
  for (const col of f.values) if (col[u] !== undefined) given.push(col[u]!);
  if (d.judge) {
    const j = f.judges.get(d.judge)?.get(u);
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
    f.values.forEach((col, c) => {
      const v = col[u];
      if (v !== undefined) values[facts.coders.get(facts.coderIds[c]!) ?? facts.coderIds[c]!] = v;
    });
    for (const [m, answers] of f.judges) {
      const v = answers.get(u);
      if (v !== undefined) values[`judge:${m}`] = v;
    }
    return { ...facts.tasks[f.task[u]!]!, part: f.part[u] || null, field: f.info.id, values, goldAnswer: f.gold[u] ?? null, adjudicated: f.adjudicated[u] ?? null };
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
      for (const t of trials) {
        if (t.coder !== who || t.chosenPosition !== 0) continue;
        const u = unitOfTask.get(t.task);
        if (pref && u !== undefined) add(rowOf(pref, u));
      }
      return { drill, total, rows };
    }
    const seen = new Set<number>();
    for (const w of facts.work) {
      if (w.coder !== who || seen.has(w.task)) continue;
      seen.add(w.task);
      add({ ...facts.tasks[w.task]!, part: null, field: null, values: {}, goldAnswer: null, adjudicated: null });
    }
    return { drill, total, rows };
  }

  const fields = drill.field ? [facts.fields.get(drill.field)].filter((f) => f !== undefined) : [...facts.fields.values()].filter((f) => f.info.aspect !== 'strength');
  for (const f of fields) {
    const n = unitCount(f);
    for (let u = 0; u < n; u++) {
      if (drill.show === 'gold') {
        const g = f.gold[u];
        if (g === null || g === undefined) continue;
        const own = coderIndex >= 0 ? f.values[coderIndex]?.[u] : undefined;
        const missed = drill.coder ? own !== undefined && own !== g : f.values.some((col) => col[u] !== undefined && col[u] !== g);
        if (missed) add(rowOf(f, u));
      } else if (differs(facts, f, u, drill)) add(rowOf(f, u));
    }
  }
  return { drill, total, rows };
}
