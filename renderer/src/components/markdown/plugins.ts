import remarkGfm from 'remark-gfm';
import { remarkReadableMath } from './math.ts';

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

/** The Markdown dialect of every text: GFM, raw HTML as text, readable `$…$` math. */
export const REMARK_PLUGINS = [remarkGfm, remarkHtmlAsText, remarkReadableMath];

/** Keep the original URL text so inert links can show it; nothing is ever navigated to. */
export const keepUrl = (url: string): string => url;
