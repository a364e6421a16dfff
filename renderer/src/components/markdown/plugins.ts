import remarkGfm from 'remark-gfm';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import type { Processor } from 'unified';
import remarkMath from 'remark-math';
import type { Options } from 'react-markdown';
import type { GfmUse } from './blocks.ts';
import { KATEX_OPTIONS, MONEY_MARK, maskMoney, mayContainMath, remarkDisplayDollars, remarkRestoreDollars } from './math.ts';

type PluggableList = NonNullable<Options['remarkPlugins']>;

interface TreeNode {
  type: string;
  value?: string;
  children?: TreeNode[];
}

/** Turns raw HTML nodes into plain text so the annotator sees exactly what the model wrote. */
export function remarkHtmlAsText() {
  const walk = (node: TreeNode): void => {
    if (node.type === 'html') node.type = 'text';
    node.children?.forEach(walk);
  };
  return (tree: TreeNode): void => walk(tree);
}

interface ParserData {
  micromarkExtensions?: ReturnType<typeof gfmTable>[];
  fromMarkdownExtensions?: ReturnType<typeof gfmTableFromMarkdown>[];
}

/**
 * GFM tables alone, as remark-gfm adds them (same extensions): for parts of a text whose only
 * GFM syntax can be tables (see gfmUse), which then skip the costlier autolink literals.
 */
export function remarkGfmTable(this: Processor): void {
  // remark-parse reads these from the processor's data (its typings add them to unified's Data).
  const data = this.data() as ParserData;
  (data.micromarkExtensions ??= []).push(gfmTable());
  (data.fromMarkdownExtensions ??= []).push(gfmTableFromMarkdown());
}

/** The Markdown dialect of every text: GFM, raw HTML as text. */
export const REMARK_PLUGINS: PluggableList = [remarkGfm, remarkHtmlAsText];
/** … plus LaTeX-style math (see ./math.ts), for texts whose money `$` have been masked. */
const REMARK_MATH: PluggableList = [remarkGfm, remarkMath, remarkRestoreDollars, remarkHtmlAsText, remarkDisplayDollars];
/** … for the rare text that already contains the mask character: only `$$…$$` is math there. */
const REMARK_MATH_NO_SINGLE: PluggableList = [remarkGfm, [remarkMath, { singleDollarTextMath: false }], remarkHtmlAsText, remarkDisplayDollars];
/** Each list by the GFM a part of the text needs (see gfmUse): all of it, tables only, or none. */
const byGfm = (list: PluggableList): Record<GfmUse, PluggableList> => ({
  full: list,
  table: list.map((p) => (p === remarkGfm ? remarkGfmTable : p)),
  none: list.filter((p) => p !== remarkGfm),
});
const PLAIN = byGfm(REMARK_PLUGINS);
const MATH = byGfm(REMARK_MATH);
const MATH_NO_SINGLE = byGfm(REMARK_MATH_NO_SINGLE);
const NONE: PluggableList = [];

/**
 * KaTeX and rehype-katex are about 300 KB of script that most texts never need: they are loaded
 * the first time a text has math (loadMath), not with the app. Until then a math text renders
 * with its TeX as code, and Markdown renders it again, typeset, once they are in.
 */
let rehypeMath: PluggableList | null = null;
let mathLoading: Promise<void> | null = null;
const mathListeners = new Set<() => void>();

export function loadMath(): Promise<void> {
  mathLoading ??= import('rehype-katex').then(
    (m) => {
      rehypeMath = [[m.default, KATEX_OPTIONS]];
      for (const listener of mathListeners) listener();
    },
    (error: unknown) => {
      // Left as TeX source; the next text with math tries again.
      mathLoading = null;
      console.error('Casebook: could not load the math typesetter', error);
    },
  );
  return mathLoading;
}

export const mathLoaded = (): boolean => rehypeMath !== null;

/** For useSyncExternalStore: called once when KaTeX has loaded. */
export function onMathLoaded(listener: () => void): () => void {
  mathListeners.add(listener);
  return () => mathListeners.delete(listener);
}

export interface MarkdownPipeline {
  /** What to parse: the text, or the text with money `$` masked (same length, same offsets). */
  source: string;
  /** Remark plugins by the GFM that the part of the source being parsed needs (see gfmUse). */
  remarkPlugins: Record<GfmUse, PluggableList>;
  /** Rehype plugins that must run before any others (math typesetting, once KaTeX is loaded). */
  rehypePlugins: PluggableList;
  /** Whether the text may have math (then KaTeX and its stylesheet are needed). */
  math: boolean;
}

/**
 * The plugins for one text; texts without `$` (or a ```math fence) skip the math machinery.
 * Math is typeset when `typeset` and KaTeX has loaded (see loadMath); ask again once it has.
 */
export function markdownPipeline(text: string, typeset = true): MarkdownPipeline {
  if (!mayContainMath(text)) return { source: text, remarkPlugins: PLAIN, rehypePlugins: NONE, math: false };
  const rehypePlugins = (typeset ? rehypeMath : null) ?? NONE;
  if (text.includes(MONEY_MARK)) return { source: text, remarkPlugins: MATH_NO_SINGLE, rehypePlugins, math: true };
  return { source: maskMoney(text), remarkPlugins: MATH, rehypePlugins, math: true };
}

/** Keep the original URL text so inert links can show it; nothing is ever navigated to. */
export const keepUrl = (url: string): string => url;
