import { memo, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

/**
 * Untrusted text (model outputs, tool results, bundle documents) rendered as Markdown.
 * - No raw HTML: HTML in the source is shown as literal text, never parsed.
 * - Links never navigate: they render as inert text that shows where they point.
 * - Images never load: a placeholder names them instead (no tracking pixels, no remote fetches).
 */

interface TreeNode {
  type: string;
  value?: string;
  children?: TreeNode[];
}

/** Turns raw HTML nodes into plain text so the annotator sees exactly what the model wrote. */
function remarkHtmlAsText() {
  const walk = (node: TreeNode): void => {
    if (node.type === 'html') node.type = 'text';
    node.children?.forEach(walk);
  };
  return (tree: TreeNode): void => walk(tree);
}

function textOf(children: ReactNode): string {
  if (typeof children === 'string' || typeof children === 'number') return String(children);
  if (Array.isArray(children)) return children.map(textOf).join('');
  return '';
}

const components: Components = {
  a: ({ href, children }) => {
    const url = href ?? '';
    const text = textOf(children);
    return (
      <span className="md-link" title={url ? `Link (not opened): ${url}` : 'Link (not opened)'}>
        {children}
        {url && url !== text ? <span className="md-link-url"> ({url})</span> : null}
      </span>
    );
  },
  img: ({ alt, src }) => (
    <span className="md-image" title={typeof src === 'string' ? src : undefined}>
      [image{alt ? `: ${alt}` : ''}]
    </span>
  ),
  table: ({ children }) => (
    <div className="md-table-wrap">
      <table>{children}</table>
    </div>
  ),
};

const plugins = [remarkGfm, remarkHtmlAsText];

/** Keep the original URL text so inert links can show it; nothing is ever navigated to. */
const keepUrl = (url: string): string => url;

export const Markdown = memo(function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className ? `markdown ${className}` : 'markdown'}>
      <ReactMarkdown remarkPlugins={plugins} components={components} urlTransform={keepUrl}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
