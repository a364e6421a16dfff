import { memo, useMemo, useSyncExternalStore, type CSSProperties, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import { rehypeMarks, type MarkRange } from './highlights/marks.ts';
import { keepUrl, loadMath, markdownPipeline, mathLoaded, onMathLoaded, type MarkdownPipeline } from './markdown/plugins.ts';
import { gfmUse, splitBlocks, type Block, type GfmUse } from './markdown/blocks.ts';
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

/**
 * Headings in content (a response, a draft, the guidelines) sit inside a screen that has its own
 * h1 and section h2s: "# Title" in a response is not the page's title. Each level is moved down
 * two (h1 → h3 … capped at h6) and keeps its look through its class.
 */
const contentHeading =
  (level: 1 | 2 | 3 | 4 | 5 | 6) =>
  ({ children }: { children?: ReactNode }) => {
    const Tag = `h${Math.min(6, level + 2)}` as 'h3' | 'h4' | 'h5' | 'h6';
    return <Tag className={`md-h${level}`}>{children}</Tag>;
  };

const components: Components = {
  h1: contentHeading(1),
  h2: contentHeading(2),
  h3: contentHeading(3),
  h4: contentHeading(4),
  h5: contentHeading(5),
  h6: contentHeading(6),
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

interface MarkdownProps {
  text: string;
  className?: string;
  marks?: readonly MarkRange[];
  /** Parse the text as one part however long it is (tests compare this with the blocks). */
  whole?: boolean;
}

/**
 * `marks` are highlighted source ranges (see components/highlights/marks.ts); pass a stable
 * array (memoised), since a new one re-renders the whole text.
 *
 * A long text is rendered as blocks (see markdown/blocks.ts), each parsed on its own and
 * skipped by layout and paint while out of view; highlights keep their offsets into the whole
 * text (each block gets the ranges that touch it, moved to its own offsets).
 */
export const Markdown = memo(function Markdown({ text, className, marks, whole }: MarkdownProps) {
  const cls = className ? `markdown ${className}` : 'markdown';
  // A text with math is rendered again, typeset, when KaTeX has loaded.
  const mathReady = useSyncExternalStore(onMathLoaded, mathLoaded, mathLoaded);
  const pipeline = useMemo(() => markdownPipeline(text, mathReady), [text, mathReady]);
  const blocks = useMemo(() => (whole ? null : splitBlocks(pipeline.source)), [pipeline, whole]);
  if (pipeline.math) {
    loadMathStyles();
    if (!mathReady) void loadMath();
  }
  if (!blocks) {
    return (
      <div className={cls}>
        <MarkdownPart pipeline={pipeline} start={0} end={pipeline.source.length} gfm={gfmUse(pipeline.source)} marks={marks} />
      </div>
    );
  }
  return (
    <div className={cls}>
      {blocks.map((b) => (
        <div key={b.start} className="md-block" style={blockStyle(b)}>
          <MarkdownPart pipeline={pipeline} start={b.start} end={b.end} gfm={b.gfm} marks={marks} />
        </div>
      ))}
    </div>
  );
});

/**
 * Height a block is assumed to have until it is first laid out (content-visibility: auto); the
 * browser remembers the real one after that. About 64 characters (two columns side by side)
 * to a 22 px line.
 */
const blockStyle = (b: Block): CSSProperties => ({ containIntrinsicSize: `auto ${Math.max(24, Math.round(((b.end - b.start) / 64) * 22))}px` });

const NO_RANGES: readonly MarkRange[] = [];

/** The highlights that touch [start, end), as offsets into that part. */
function rangesIn(marks: readonly MarkRange[] | undefined, start: number, end: number): readonly MarkRange[] {
  if (!marks || marks.length === 0) return NO_RANGES;
  const out = marks.filter((m) => m.start < end && m.end > start);
  if (out.length === 0) return NO_RANGES;
  return start === 0 ? out : out.map((m) => ({ ...m, start: m.start - start, end: m.end - start }));
}

const sameRanges = (a: readonly MarkRange[], b: readonly MarkRange[]): boolean =>
  a.length === b.length && a.every((m, i) => m.id === b[i]?.id && m.start === b[i]?.start && m.end === b[i]?.end && m.title === b[i]?.title);

interface PartProps {
  pipeline: MarkdownPipeline;
  start: number;
  end: number;
  /** The GFM extensions this part needs (see gfmUse); the others are skipped. */
  gfm: GfmUse;
  marks: readonly MarkRange[] | undefined;
}

/** One part of a text (the whole text or one block), re-rendered only when its own highlights change. */
const MarkdownPart = memo(
  function MarkdownPart({ pipeline, start, end, gfm, marks }: PartProps) {
    const source = start === 0 && end === pipeline.source.length ? pipeline.source : pipeline.source.slice(start, end);
    const ranges = rangesIn(marks, start, end);
    const remark = pipeline.remarkPlugins[gfm];
    // Math is typeset first; highlights then mark the text around it (never inside it).
    const rehype = ranges.length > 0 ? [...pipeline.rehypePlugins, [rehypeMarks, ranges] as [typeof rehypeMarks, readonly MarkRange[]]] : pipeline.rehypePlugins;
    return (
      <ReactMarkdown remarkPlugins={remark} rehypePlugins={rehype} components={components} urlTransform={keepUrl}>
        {source}
      </ReactMarkdown>
    );
  },
  (a, b) =>
    a.pipeline === b.pipeline &&
    a.start === b.start &&
    a.end === b.end &&
    a.gfm === b.gfm &&
    (a.marks === b.marks || sameRanges(rangesIn(a.marks, a.start, a.end), rangesIn(b.marks, b.start, b.end))),
);
