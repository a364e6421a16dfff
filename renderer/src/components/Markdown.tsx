import { memo, useMemo, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import { rehypeMarks, type MarkRange } from './highlights/marks.ts';
import { keepUrl, markdownPipeline } from './markdown/plugins.ts';
import { highlightCode } from './markdown/highlight.tsx';

/**
 * Untrusted text (model outputs, tool results, bundle documents) rendered as Markdown.
 * - No raw HTML: HTML in the source is shown as literal text, never parsed.
 * - Links never navigate: they render as inert text that shows where they point.
 * - Images never load: a placeholder names them instead (no tracking pixels, no remote fetches).
 * - LaTeX-style math is typeset by KaTeX into elements (untrusted: no \href, no \url, no HTML);
 *   money such as "$5 and $10" stays text (see markdown/math.ts).
 */

/**
 * KaTeX's stylesheet is large, and every rule it adds makes style recalculation of long texts
 * slower (about 40 ms on two 200 KB responses). It is loaded the first time a text has math.
 */
let mathStyles: Promise<unknown> | null = null;
function loadMathStyles(): void {
  mathStyles ??= import('katex/dist/katex.min.css');
}

function textOf(children: ReactNode): string {
  if (typeof children === 'string' || typeof children === 'number') return String(children);
  if (Array.isArray(children)) return children.map(textOf).join('');
  return '';
}

function InertLink({ href, children }: { href?: unknown; children?: ReactNode }) {
  const url = typeof href === 'string' ? href : '';
  const text = textOf(children);
  return (
    <span className="md-link" title={url ? `Link (not opened): ${url}` : 'Link (not opened)'}>
      {children}
      {url && url !== text ? <span className="md-link-url"> ({url})</span> : null}
    </span>
  );
}

function ImagePlaceholder({ alt, src }: { alt?: unknown; src?: unknown }) {
  return (
    <span className="md-image" title={typeof src === 'string' ? src : undefined}>
      [image{typeof alt === 'string' && alt ? `: ${alt}` : ''}]
    </span>
  );
}

function TableWrap({ children }: { children?: ReactNode }) {
  return (
    <div className="md-table-wrap">
      <table>{children}</table>
    </div>
  );
}

const components: Components = {
  a: ({ href, children }) => <InertLink href={href} children={children} />,
  img: ({ alt, src }) => <ImagePlaceholder alt={alt} src={src} />,
  table: ({ children }) => <TableWrap children={children} />,
  code: ({ className, children }) => {
    // Fenced blocks carry `language-x`; inline code has no class and is left as is.
    const lang = /(?:^|\s)language-([\w+#-]+)/.exec(className ?? '')?.[1] ?? null;
    if (!lang || typeof children !== 'string') return <code className={className}>{children}</code>;
    return <code className={`${className ?? ''} hl-code`}>{highlightCode(children, lang)}</code>;
  },
};

/**
 * `marks` are highlighted source ranges (see components/highlights/marks.ts); pass a stable
 * array (memoised), since a new one re-renders the whole text.
 */
export const Markdown = memo(function Markdown({ text, className, marks }: { text: string; className?: string; marks?: readonly MarkRange[] }) {
  const cls = className ? `markdown ${className}` : 'markdown';
  return <SyncMarkdown text={text} className={cls} marks={marks} />;
});

function SyncMarkdown({ text, className, marks }: { text: string; className: string; marks?: readonly MarkRange[] }) {
  const pipeline = useMemo(() => markdownPipeline(text), [text]);
  if (pipeline.rehypePlugins.length > 0) loadMathStyles();
  // Math is typeset first; highlights then mark the text around it (never inside it).
  const rehype = useMemo(
    () => (marks && marks.length > 0 ? [...pipeline.rehypePlugins, [rehypeMarks, marks] as [typeof rehypeMarks, readonly MarkRange[]]] : pipeline.rehypePlugins),
    [pipeline, marks],
  );
  return (
    <div className={className}>
      <ReactMarkdown remarkPlugins={pipeline.remarkPlugins} rehypePlugins={rehype} components={components} urlTransform={keepUrl}>
        {pipeline.source}
      </ReactMarkdown>
    </div>
  );
}
