/**
 * Long texts are parsed and rendered as independent blocks: each block is cut at a blank line
 * where a new top-level block starts, so parsing the blocks one by one gives exactly what
 * parsing the whole text gives. That lets each block skip the GFM extensions it has no syntax
 * for (GFM is about half of the parse, mostly autolink literals, which look at every word), lets
 * the browser skip layout and paint of blocks out of view (content-visibility), and keeps a
 * re-render to the blocks that changed.
 *
 * Where a cut could change the result, there is none: inside fenced code or math, inside an HTML
 * block that may span blank lines (comments, <pre>, …), before an indented line or a list item
 * (a loose list stays one list). A text with anything that reaches across the whole document,
 * link reference or footnote definitions, is not split at all. Each rule errs towards no cut.
 */

export interface Span {
  /** UTF-16 offsets into the text. */
  start: number;
  end: number;
}

/** Which GFM extensions a part of a text needs: none, tables only, or all of them. */
export type GfmUse = 'none' | 'table' | 'full';

/** A block is parsed, rendered and laid out as one unit. */
export interface Block extends Span {
  gfm: GfmUse;
}

/** Shorter texts are parsed whole: splitting only pays off when a text is long. */
export const SPLIT_MIN_CHARS = 16_000;
/**
 * Blocks are at least this long (apart from the last): each parse has a fixed cost (setting up
 * the parser), and a few screens of text per block keep that small.
 */
export const BLOCK_MIN_CHARS = 8_000;

/** HTML blocks (CommonMark kinds 1 to 5) that only end at their end marker, blank lines or not. */
const HTML_SPANS: [RegExp, RegExp][] = [
  [/^\s*<(?:script|pre|style|textarea)(?:\s|>|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^\s*<!--/, /-->/],
  [/^\s*<\?/, /\?>/],
  [/^\s*<![A-Za-z]/, />/],
  [/^\s*<!\[CDATA\[/, /\]\]>/],
];
/** A code fence (``` or ~~~) or a math fence ($$), at any indentation (erring towards "open"). */
const FENCE = /^(\s*)(`{3,}|~{3,}|\${2,})(.*)$/;
const LIST_ITEM = /^(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)/;

interface Fence {
  ch: string;
  len: number;
  indent: number;
}

function openFence(line: string): Fence | null {
  const m = FENCE.exec(line);
  if (!m) return null;
  const [, indent = '', run = '', rest = ''] = m;
  const ch = run[0] ?? '`';
  // A backtick fence's info string has no backtick, a math fence's meta no dollar; otherwise it
  // is inline code or inline math in a paragraph.
  if ((ch === '`' || ch === '$') && rest.includes(ch)) return null;
  return { ch, len: run.length, indent: indent.length };
}

/** A closing fence: only the same character, at least as long, no deeper than the opening one. */
function closesFence(line: string, f: Fence): boolean {
  const m = /^(\s*)(`+|~+|\$+)\s*$/.exec(line);
  return !!m && (m[1] ?? '').length <= f.indent && (m[2] ?? '')[0] === f.ch && (m[2] ?? '').length >= f.len;
}

/**
 * Every place where `source` can be cut (see above), as contiguous spans that cover it; one span
 * when it cannot be cut at all.
 */
export function cutSpans(source: string): Span[] {
  // Link reference and footnote definitions apply to the whole document.
  if (source.includes(']:')) return [{ start: 0, end: source.length }];
  const blocks: Span[] = [];
  let blockStart = 0;
  let fence: Fence | null = null;
  let htmlEnd: RegExp | null = null;
  let afterBlank = false;
  let at = 0;
  while (at < source.length) {
    const nl = source.indexOf('\n', at);
    const end = nl === -1 ? source.length : nl;
    const line = source.slice(at, end);
    const lineStart = at;
    at = end + 1;
    if (fence) {
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    if (htmlEnd) {
      if (htmlEnd.test(line)) htmlEnd = null;
      continue;
    }
    if (line.trim() === '') {
      afterBlank = true;
      continue;
    }
    if (afterBlank && lineStart > blockStart && /^[^\s]/.test(line) && !LIST_ITEM.test(line)) {
      blocks.push({ start: blockStart, end: lineStart });
      blockStart = lineStart;
    }
    afterBlank = false;
    fence = openFence(line);
    if (fence) continue;
    const html = HTML_SPANS.find(([start]) => start.test(line));
    // The end marker may sit on the opening line itself (after the opening tag).
    if (html && !html[1].test(line.replace(html[0], ''))) htmlEnd = html[1];
  }
  blocks.push({ start: blockStart, end: source.length });
  return blocks;
}

/**
 * The blocks of a long text, or null when it is short or cannot be cut. `source` is what will be
 * parsed (for math texts, the money-masked text: same length and offsets).
 */
export function splitBlocks(source: string, minChars = SPLIT_MIN_CHARS, blockChars = BLOCK_MIN_CHARS): Block[] | null {
  if (source.length < minChars) return null;
  const spans = cutSpans(source);
  if (spans.length < 2) return null;
  const blocks: Span[] = [];
  for (const span of spans) {
    const last = blocks[blocks.length - 1];
    if (last && last.end - last.start < blockChars) last.end = span.end;
    else blocks.push({ ...span });
  }
  if (blocks.length < 2) return null;
  return blocks.map((b) => ({ ...b, gfm: gfmUse(source.slice(b.start, b.end)) }));
}

/**
 * GFM syntax needs one of these: a strikethrough character, a task-list box, a footnote, what an
 * autolink literal starts with (www., a scheme, an @ for e-mail addresses), or for tables a pipe.
 * A part of a text with none of them parses the same with or without the GFM extensions, and one
 * with only pipes the same with the table extension alone.
 */
const GFM_NOT_TABLE = /[~@]|\[[ xX]\]|\[\^|www\.|https?:\/\/|mailto:|xmpp:/i;
export const gfmUse = (source: string): GfmUse => (GFM_NOT_TABLE.test(source) ? 'full' : source.includes('|') ? 'table' : 'none');
