/** Active time per item: each annotator's median and mean, overall and per task kind. */
import type { Facts } from './facts.ts';
import type { ActiveTime } from './report.ts';

/** The k-th smallest of xs (0-based), rearranging xs: Hoare's selection, O(n) on average. */
function select(xs: Float64Array, k: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const pivot = xs[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (xs[i]! < pivot) i++;
      while (xs[j]! > pivot) j--;
      if (i <= j) {
        const t = xs[i]!;
        xs[i++] = xs[j]!;
        xs[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return xs[k]!;
  }
  return xs[k]!;
}

/** The median (the mean of the two middle values for an even count), without sorting everything; rearranges xs. */
function median(xs: Float64Array): number {
  if (xs.length === 0) return 0;
  const s = xs;
  const m = s.length >> 1;
  if (s.length % 2) return select(s, m);
  const upper = select(s, m);
  // After selecting m, everything before it is ≤ it: the lower middle is their largest.
  let lower = -Infinity;
  for (let i = 0; i < m; i++) if (s[i]! > lower) lower = s[i]!;
  return (lower + upper) / 2;
}

export function activeTimes(facts: Facts, coders: readonly string[]): ActiveTime[] {
  // Each coder's (and coder and kind's) times in work order, gathered by a counting pass.
  const w = facts.work;
  const C = facts.coderIds.length;
  const kinds = [...new Set(facts.tasks.map((t) => t.kind))].sort();
  const kindOf = new Map(kinds.map((k, i) => [k, i]));
  const K = kinds.length;
  const taskKind = new Uint8Array(facts.tasks.length);
  for (let t = 0; t < taskKind.length; t++) taskKind[t] = kindOf.get(facts.tasks[t]!.kind)!;
  const counts = new Int32Array(C * (K + 1));
  for (let i = 0; i < w.task.length; i++) {
    const c = w.coder[i]!;
    counts[c * (K + 1)]!++;
    counts[c * (K + 1) + 1 + taskKind[w.task[i]!]!]!++;
  }
  const lists = Array.from(counts, (n) => new Float64Array(n));
  const fill = new Int32Array(counts.length);
  for (let i = 0; i < w.task.length; i++) {
    const c = w.coder[i]!;
    const ms = w.activeMs[i]!;
    const all = c * (K + 1);
    const kind = all + 1 + taskKind[w.task[i]!]!;
    lists[all]![fill[all]!++] = ms;
    lists[kind]![fill[kind]!++] = ms;
  }
  const index = new Map(facts.coderIds.map((id, c) => [id, c]));
  return coders
    .filter((id) => index.has(id) && counts[index.get(id)! * (K + 1)]! > 0)
    .map((coder) => {
      const base = index.get(coder)! * (K + 1);
      const all = lists[base]!;
      let sum = 0;
      for (const x of all) sum += x;
      const byKind = kinds.flatMap((kind, k) => {
        const xs = lists[base + 1 + k]!;
        return xs.length ? [{ kind, items: xs.length, medianMs: median(xs) }] : [];
      });
      return { coder, items: all.length, medianMs: median(all), meanMs: Math.round(sum / all.length), byKind };
    });
}
