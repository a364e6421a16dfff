import type { KatexOptions } from 'katex';

/**
 * LaTeX-style math: `$…$` and `$$…$$` are parsed by remark-math and typeset by rehype-katex
 * (into hast, which react-markdown turns into React elements). Model outputs and legal texts
 * are full of money, so before parsing every `$` that does not delimit math by the rule below is
 * masked with a stand-in of the same length (source offsets, which highlights use, stay valid),
 * and a remark plugin puts the `$` back in every node right after parsing.
 *
 * The rule: `$$…$$` is math; `$…$` is math when the opening `$` is not followed by a space and
 * the closing `$` is not preceded by a space and not followed by a digit. So "$5 and $10",
 * "$3,000–$4,000" and "US$ 50" stay text while `$x^2$` and `$\frac{a}{b}$` are math.
 */

interface MdNode {
  type: string;
  value?: string;
  url?: string;
  alt?: string | null;
  title?: string | null;
  lang?: string | null;
  meta?: string | null;
  children?: MdNode[];
  position?: { start: { offset?: number }; end: { offset?: number } };
  data?: { hName?: string; hProperties?: Record<string, unknown>; hChildren?: MdNode[] };
}

/**
 * U+20B0 GERMAN PENNY SIGN: like `$` a currency symbol (Unicode category Sc), so Markdown's
 * punctuation rules (emphasis flanking) treat it exactly as they treat `$`; and it is one UTF-16
 * unit, like `$`. A text that already contains it is rendered without single-dollar math.
 */
export const MONEY_MARK = '\u20B0';

/** Math by the rule above; an escaped `\$` never opens math. */
const MATH = /(?<!\\)\$\$([^$]+?)\$\$|(?<!\\)\$(?![\s$])([^$\n]*?[^\s$\\])\$(?!\d)/g;

/** Whether the text can contain math at all (the plain path skips the math plugins). */
const MATH_FENCE = /^ {0,3}(?:`{3,}|~{3,})[ \t]*math\b/m;
export function mayContainMath(text: string): boolean {
  return text.includes('$') || MATH_FENCE.test(text);
}

/** The source ranges `$…$` / `$$…$$` that are math by the rule above (delimiters included). */
export function mathRanges(text: string): { start: number; end: number; display: boolean }[] {
  return [...text.matchAll(MATH)].map((m) => ({ start: m.index, end: m.index + m[0].length, display: m[1] !== undefined }));
}

/**
 * The text with every `$` that is not a math delimiter (and not escaped as `\$`) replaced by
 * MONEY_MARK; same length, so every offset still points at the same character.
 */
export function maskMoney(text: string): string {
  if (!text.includes('$')) return text;
  const keep = new Set<number>();
  for (const r of mathRanges(text)) {
    const n = r.display ? 2 : 1;
    for (let k = 0; k < n; k++) {
      keep.add(r.start + k);
      keep.add(r.end - 1 - k);
    }
  }
  return text.replace(/\$/g, (d: string, i: number) => (keep.has(i) || text[i - 1] === '\\' ? d : MONEY_MARK));
}

function restore(s: string): string {
  return s.includes(MONEY_MARK) ? s.replaceAll(MONEY_MARK, '$') : s;
}

/** remark plugin, first after parsing: every masked `$` back, in every string a node carries. */
export function remarkRestoreDollars() {
  const walk = (node: MdNode): void => {
    if (typeof node.value === 'string') node.value = restore(node.value);
    if (typeof node.url === 'string') node.url = restore(node.url);
    if (typeof node.alt === 'string') node.alt = restore(node.alt);
    if (typeof node.title === 'string') node.title = restore(node.title);
    if (typeof node.lang === 'string') node.lang = restore(node.lang);
    if (typeof node.meta === 'string') node.meta = restore(node.meta);
    node.data?.hChildren?.forEach(walk);
    node.children?.forEach(walk);
  };
  return (tree: MdNode): void => walk(tree);
}

/**
 * remark plugin: `$$…$$` inside a paragraph is typeset in display style (as LaTeX does), not
 * as inline math; `$$` on lines of their own is already a display block.
 */
export function remarkDisplayDollars() {
  const walk = (node: MdNode, source: string): void => {
    if (node.type === 'inlineMath') {
      const at = node.position?.start.offset;
      if (at !== undefined && source.startsWith('$$', at) && node.data) {
        node.data.hProperties = { ...node.data.hProperties, className: ['language-math', 'math-display'] };
      }
      return;
    }
    node.children?.forEach((c) => walk(c, source));
  };
  return (tree: MdNode, file: { value?: unknown }): void => walk(tree, typeof file.value === 'string' ? file.value : '');
}

/**
 * KaTeX for untrusted text: no \href, \url, \includegraphics or \html… (trust false), errors
 * shown as the TeX source in an error style rather than thrown, no console noise about LaTeX
 * compatibility, bounded sizes and macro expansion, MathML alongside the HTML for screen readers.
 */
export const KATEX_OPTIONS: KatexOptions = {
  throwOnError: false,
  trust: false,
  strict: 'ignore',
  output: 'htmlAndMathml',
  maxSize: 50,
  maxExpand: 1000,
  errorColor: '#c0362c',
};
