/**
 * The tasks behind a figure: what a reviewer opens from a flag or a chart. Disagreement lists
 * the tasks where the coders (or the pair, or the coder against the others) differ on the
 * field; position, the coder's preferences for the response shown first; gold, the gold items
 * the coder missed; work, every task the coder did.
 */
import type { Value } from '../agreement/index.ts';
import type { Facts, FieldUnit, TaskRef } from './facts.ts';
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

function differs(u: FieldUnit, d: Drill): boolean {
  const values = u.values;
  if (d.judge) {
    const j = u.judges.get(d.judge);
    return j !== undefined && values.size > 0 && [...values.values()].some((v) => v !== j);
  }
  if (d.pair) {
    const [a, b] = d.pair;
    return values.has(a) && values.has(b) && values.get(a) !== values.get(b);
  }
  if (d.coder) {
    const own = values.get(d.coder);
    return own !== undefined && values.size >= 2 && [...values].some(([c, v]) => c !== d.coder && v !== own);
  }
  return new Set(values.values()).size > 1;
}

/** Up to `limit` tasks behind the drill, in read-model order, and how many there are in all. */
export function tasksBehind(facts: Facts, drill: Drill, limit = 500): DrillResult {
  const rows: DrillRow[] = [];
  let total = 0;
  const add = (row: DrillRow) => {
    total++;
    if (rows.length < limit) rows.push(row);
  };
  const rowOf = (field: string | null, key: string, u: FieldUnit, extra: Record<string, Value> = {}): DrillRow => {
    const slash = key.indexOf('/');
    const values: Record<string, Value> = {};
    for (const [c, v] of u.values) values[facts.coders.get(c) ?? c] = v;
    for (const [m, v] of u.judges) values[`judge:${m}`] = v;
    return { ...facts.tasks[u.task]!, part: slash < 0 ? null : key.slice(slash + 1), field, values: { ...values, ...extra }, goldAnswer: u.gold, adjudicated: u.adjudicated };
  };

  if (drill.show === 'position' || drill.show === 'work') {
    const who = drill.judge ?? drill.coder;
    if (who === undefined) return { drill, total: 0, rows };
    const trials = drill.judge ? facts.judgeTrials : facts.trials;
    if (drill.show === 'position') {
      const pref = facts.fields.get('compare.preference');
      for (const t of trials) {
        if (t.coder !== who || t.chosenPosition !== 0) continue;
        const u = pref?.units.get(`${t.task}`);
        if (u) add(rowOf('compare.preference', `${t.task}`, u));
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
    for (const [key, u] of f.units) {
      if (drill.show === 'gold') {
        if (u.gold === null) continue;
        const own = drill.coder ? u.values.get(drill.coder) : undefined;
        const missed = drill.coder ? own !== undefined && own !== u.gold : [...u.values.values()].some((v) => v !== u.gold);
        if (missed) add(rowOf(f.info.id, key, u));
      } else if (differs(u, drill)) add(rowOf(f.info.id, key, u));
    }
  }
  return { drill, total, rows };
}
