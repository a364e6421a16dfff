import { locateQuote } from './marks.ts';

export interface SpanDraft {
  target: string;
  start: number;
  end: number;
  quote: string;
}

/**
 * The current text selection inside one response's text, as source offsets of that response.
 * `sources` maps response id to its Markdown; response bodies carry data-response-id.
 */
export function selectionSpan(sources: ReadonlyMap<string, string>): SpanDraft | null {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
  const range = sel.getRangeAt(0);
  const start = range.startContainer instanceof Element ? range.startContainer : range.startContainer.parentElement;
  const body = start?.closest<HTMLElement>('[data-response-id]');
  const target = body?.dataset.responseId;
  const source = target ? sources.get(target) : undefined;
  if (!body || !target || source === undefined || !body.contains(range.endContainer)) return null;
  // Where the selection starts, relative to the rendered text: picks the right match when the
  // quote occurs more than once.
  const before = document.createRange();
  before.setStart(body, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const total = body.textContent?.length ?? 1;
  const ratio = total > 0 ? before.toString().length / total : 0;
  const found = locateQuote(source, sel.toString(), ratio);
  return found ? { target, start: found.start, end: found.end, quote: source.slice(found.start, found.end) } : null;
}
