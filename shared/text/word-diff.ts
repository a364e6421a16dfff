/**
 * Word-level diff (Myers' O(ND) algorithm over word tokens), used for the live figure in the
 * exemplar editor and for the statistics stored with the annotation, so both always agree.
 */
export type DiffOp = { op: 'equal' | 'insert' | 'delete'; words: string[] };

export interface DiffStats {
  wordsAdded: number;
  wordsRemoved: number;
  /** Words replaced: a deletion directly followed by an insertion counts min(deleted, inserted) as changed. */
  wordsChanged: number;
}

export function tokenize(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:[''.,-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu) ?? [];
}

export function diffWords(before: string, after: string): DiffOp[] {
  const a = tokenize(before);
  const b = tokenize(after);
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace backwards to recover the edit script.
  const ops: DiffOp[] = [];
  const push = (op: DiffOp['op'], word: string) => {
    const last = ops[0];
    if (last && last.op === op) last.words.unshift(word);
    else ops.unshift({ op, words: [word] });
  };
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1]! < vd[max + k + 1]!) ? k + 1 : k - 1;
    const prevX = vd[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      push('equal', a[--x]!);
      y--;
    }
    if (d > 0) {
      if (x === prevX) push('insert', b[--y]!);
      else push('delete', a[--x]!);
    }
  }
  while (x > 0 && y > 0) {
    push('equal', a[--x]!);
    y--;
  }
  return ops;
}

export function diffStats(before: string, after: string): DiffStats {
  const ops = diffWords(before, after);
  let added = 0;
  let removed = 0;
  let changed = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const next = ops[i + 1];
    if (op.op === 'delete' && next?.op === 'insert') {
      const c = Math.min(op.words.length, next.words.length);
      changed += c;
      removed += op.words.length - c;
      added += next.words.length - c;
      i++;
    } else if (op.op === 'insert') added += op.words.length;
    else if (op.op === 'delete') removed += op.words.length;
  }
  return { wordsAdded: added, wordsRemoved: removed, wordsChanged: changed };
}
