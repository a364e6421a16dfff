import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import type { Options } from 'react-markdown';
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

/** The Markdown dialect of every text: GFM, raw HTML as text. */
export const REMARK_PLUGINS: PluggableList = [remarkGfm, remarkHtmlAsText];
/** … plus LaTeX-style math (see ./math.ts), for texts whose money `$` have been masked. */
const REMARK_MATH: PluggableList = [remarkGfm, remarkMath, remarkRestoreDollars, remarkHtmlAsText, remarkDisplayDollars];
/** … for the rare text that already contains the mask character: only `$$…$$` is math there. */
const REMARK_MATH_NO_SINGLE: PluggableList = [remarkGfm, [remarkMath, { singleDollarTextMath: false }], remarkHtmlAsText, remarkDisplayDollars];
/** The same lists without remark-gfm, for (parts of) texts without GFM syntax (see needsGfm). */
const withoutGfm = (list: PluggableList): PluggableList => list.filter((p) => p !== remarkGfm);
const PLAIN_NO_GFM = withoutGfm(REMARK_PLUGINS);
const MATH_NO_GFM = withoutGfm(REMARK_MATH);
const MATH_NO_SINGLE_NO_GFM = withoutGfm(REMARK_MATH_NO_SINGLE);
const REHYPE_MATH: PluggableList = [[rehypeKatex, KATEX_OPTIONS]];
const NONE: PluggableList = [];

export interface MarkdownPipeline {
  /** What to parse: the text, or the text with money `$` masked (same length, same offsets). */
  source: string;
  remarkPlugins: PluggableList;
  /** The same without remark-gfm: for a part of the source where needsGfm is false. */
  remarkPluginsNoGfm: PluggableList;
  /** Rehype plugins that must run before any others (math typesetting). */
  rehypePlugins: PluggableList;
}

/** The plugins for one text; texts without `$` (or a ```math fence) skip the math machinery. */
export function markdownPipeline(text: string): MarkdownPipeline {
  if (!mayContainMath(text)) return { source: text, remarkPlugins: REMARK_PLUGINS, remarkPluginsNoGfm: PLAIN_NO_GFM, rehypePlugins: NONE };
  if (text.includes(MONEY_MARK)) return { source: text, remarkPlugins: REMARK_MATH_NO_SINGLE, remarkPluginsNoGfm: MATH_NO_SINGLE_NO_GFM, rehypePlugins: REHYPE_MATH };
  return { source: maskMoney(text), remarkPlugins: REMARK_MATH, remarkPluginsNoGfm: MATH_NO_GFM, rehypePlugins: REHYPE_MATH };
}

/** Keep the original URL text so inert links can show it; nothing is ever navigated to. */
export const keepUrl = (url: string): string => url;
