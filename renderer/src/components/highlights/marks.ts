/**
 * Highlights are stored as UTF-16 offsets into the response's Markdown source. To show them,
 * a rehype plugin splits the rendered text nodes whose source positions overlap a highlight
 * and wraps those parts in <mark>. Everything stays a React element (no innerHTML).
 * Typeset math (KaTeX output) is atomic: its text is not the source, so it is never marked.
 */
export interface MarkRange {
  id: string;
  start: number;
  end: number;
  title: string;
}

interface Point {
  offset?: number;
}
interface HNode {
  type: string;
  value?: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: HNode[];
  position?: { start: Point; end: Point };
}

/** Source range of a text node; its characters map 1:1 when the lengths agree, else proportionally. */
function sourceIndex(node: HNode, i: number): number {
  const s = node.position?.start.offset ?? 0;
  const e = node.position?.end.offset ?? s;
  const len = node.value?.length ?? 0;
  if (e - s === len || len === 0) return s + i;
  return s + Math.round((i * (e - s)) / len);
}

function splitText(node: HNode, ranges: readonly MarkRange[]): HNode[] | null {
  const value = node.value ?? '';
  if (!node.position || value.length === 0) return null;
  const s = sourceIndex(node, 0);
  const e = sourceIndex(node, value.length);
  const hits = ranges.filter((r) => r.start < e && r.end > s);
  if (hits.length === 0) return null;
  // Character boundaries where a highlight starts or ends inside this node.
  const toLocal = (src: number): number => {
    for (let i = 0; i <= value.length; i++) if (sourceIndex(node, i) >= src) return i;
    return value.length;
  };
  const cuts = new Set<number>([0, value.length]);
  for (const r of hits) {
    cuts.add(Math.max(0, toLocal(r.start)));
    cuts.add(Math.min(value.length, toLocal(r.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: HNode[] = [];
  for (let k = 0; k < points.length - 1; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    if (a === b) continue;
    const text: HNode = { type: 'text', value: value.slice(a, b) };
    const srcA = sourceIndex(node, a);
    const over = hits.filter((r) => r.start <= srcA && r.end > srcA);
    const first = over[0];
    if (!first) out.push(text);
    else
      out.push({
        type: 'element',
        tagName: 'mark',
        properties: { className: ['hl', over.length > 1 ? 'hl-overlap' : ''], dataHl: first.id, title: over.map((r) => r.title).join(' · ') },
        children: [text],
      });
  }
  return out;
}

const ATOMIC = new Set(['katex', 'katex-display', 'katex-error']);
const isAtomic = (node: HNode): boolean => {
  const cls = node.properties?.className;
  return Array.isArray(cls) && cls.some((c) => typeof c === 'string' && ATOMIC.has(c));
};

function walk(node: HNode, ranges: readonly MarkRange[]): void {
  if (!node.children || isAtomic(node)) return;
  const next: HNode[] = [];
  for (const child of node.children) {
    if (child.type === 'text') next.push(...(splitText(child, ranges) ?? [child]));
    else {
      walk(child, ranges);
      next.push(child);
    }
  }
  node.children = next;
}

/** The rehype plugin (unified attacher): `[rehypeMarks, ranges]`. */
export function rehypeMarks(ranges: readonly MarkRange[]) {
  return (tree: HNode): void => walk(tree, ranges);
}

/**
 * Where a rendered selection sits in the Markdown source. The selected text is searched for in
 * the source allowing Markdown syntax between its characters (`**`, `_`, backticks, link
 * brackets); of several matches, the one nearest the selection's relative position wins.
 */
export function locateQuote(source: string, quote: string, approxRatio = 0): { start: number; end: number } | null {
  const q = quote.trim();
  if (q === '' || q.length > 4000) return null;
  const SYNTAX = '[*_`~\\[\\]()<>#|\\\\>-]*';
  const pattern = [...q]
    .map((ch) => (/\s/.test(ch) ? '\\s+' : ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')))
    .join(SYNTAX)
    .replace(/(\\s\+)(\[\*_`~\\\[\\\]\(\)<>#\|\\\\>-\]\*\\s\+)+/g, '$1');
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'g');
  } catch {
    return null;
  }
  const target = approxRatio * source.length;
  let best: { start: number; end: number } | null = null;
  for (const m of source.matchAll(re)) {
    const start = m.index;
    const cand = { start, end: start + m[0].length };
    if (!best || Math.abs(start - target) < Math.abs(best.start - target)) best = cand;
  }
  return best;
}
