import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Markdown } from '../../../renderer/src/components/Markdown.tsx';
import type { MarkRange } from '../../../renderer/src/components/highlights/marks.ts';
import { cutSpans, gfmUse, splitBlocks, SPLIT_MIN_CHARS } from '../../../renderer/src/components/markdown/blocks.ts';

const render = (text: string, marks?: readonly MarkRange[], whole = false): string => renderToStaticMarkup(createElement(Markdown, { text, marks, whole }));

/**
 * The split rendering with its block wrappers taken out. On both sides, newlines next to a tag
 * are dropped: the whole text has a newline text node between top-level elements, a seam between
 * blocks has none (it is collapsible white space either way).
 */
const unwrap = (html: string): string =>
  html
    .replace(/<\/div><div class="md-block"[^>]*>/g, '')
    .replace(/<div class="md-block"[^>]*>/, '')
    .replace(/<\/div><\/div>$/, '</div>')
    .replace(/\n*(<)|(>)\n*/g, '$1$2');
const flat = (html: string): string => html.replace(/\n*(<)|(>)\n*/g, '$1$2');

/** Pieces that stress every rule of the splitter: constructs that span blank lines, GFM, math, HTML. */
const PIECES = [
  'A plain paragraph about renal clearance and the dose in mg, with *emphasis* and `code`.',
  '## A heading\n\nText under it.',
  'Setext heading\n==============',
  '- loose item one\n\n- loose item two\n\n- loose item three',
  '1. first\n2. second\n\n3. third after a blank',
  '- item with a second paragraph\n\n  indented continuation of the item\n\n  ```js\n  const x = 1;\n\n  const y = 2;\n  ```',
  '```python\ndef f(x):\n\n    return x\n\n# blank lines above stay in the fence\n```',
  '~~~\ntilde fence\n\nstill code\n~~~',
  '````md\n```\nnested fence text\n\n```\n````',
  '```js\nopened fence\n\n    ```\nindented closer is content\n```',
  '<!-- a comment\n\nthat spans a blank line -->',
  '<pre>\npre text\n\nafter a blank\n</pre>',
  '<div>\nhtml block seven\n</div>',
  '<script>alert(1)</script>',
  '| a | b |\n| --- | --- |\n| 1 | 2 |',
  'Strike ~~this~~ and visit www.example.com or https://example.org or mail a@b.org.',
  '- [ ] task\n- [x] done',
  '> quoted\n\n> another quote',
  '    indented code\n\n    more indented code',
  '* * *',
  '---',
  'Money: $5 and $10, math $x^2$ and $$\\sum_i x_i$$ inline.',
  '$$\nE = mc^2\n\n\\frac{a}{b}\n$$',
  'Line with a hard break  \nand the next line.',
  'A paragraph\nwith a lazy line\n> and a quote start',
  '+ plus list\n\n+ second plus',
  'Entity &amp; and &copy; and \\* escaped.',
  'Emphasis *spanning\nlines* in one paragraph.',
];

/** A long document from the pieces in a seeded order, padded with prose so it gets split. */
function doc(seed: number, withMath: boolean): string {
  let x = seed;
  const out: string[] = [];
  let size = 0;
  while (size < SPLIT_MIN_CHARS * 1.6) {
    x = (x * 1103515245 + 12345) >>> 0;
    const piece = PIECES[x % PIECES.length] ?? '';
    if (!withMath && piece.includes('$')) continue;
    const filler = `Filler paragraph ${out.length} `.repeat(1 + (x % 40));
    out.push(piece, filler);
    size += piece.length + filler.length + 4;
  }
  return out.join('\n\n');
}

describe('long Markdown split into blocks', () => {
  it('cuts only at blank lines before a top-level block, never inside fences, HTML spans or lists', () => {
    const text = doc(7, true);
    const spans = cutSpans(text);
    expect(spans.length).toBeGreaterThan(10);
    expect(spans[0]?.start).toBe(0);
    expect(spans[spans.length - 1]?.end).toBe(text.length);
    for (let i = 1; i < spans.length; i++) {
      const at = spans[i]?.start ?? 0;
      expect(spans[i - 1]?.end).toBe(at);
      expect(text.slice(at - 2, at)).toBe('\n\n');
      expect(text[at]).toMatch(/\S/);
      expect(text.slice(at)).not.toMatch(/^(?:[*+-]|\d+[.)])\s/);
    }
    // Nothing cut inside the fenced code, the comment or the <pre>.
    for (const s of spans) {
      const part = text.slice(s.start, s.end);
      expect((part.match(/^```python$/gm) ?? []).length).toBe((part.match(/^# blank lines above stay in the fence\n```$/gm) ?? []).length);
      expect((part.match(/<!--/g) ?? []).length).toBe((part.match(/-->/g) ?? []).length);
      expect((part.match(/<pre>/g) ?? []).length).toBe((part.match(/<\/pre>/g) ?? []).length);
    }
  });

  it('renders exactly what parsing the whole text renders', () => {
    for (const [seed, math] of [
      [1, false],
      [2, false],
      [3, true],
      [4, true],
    ] as const) {
      const text = doc(seed, math);
      expect(splitBlocks(text)?.length ?? 0, `seed ${seed}`).toBeGreaterThan(1);
      expect(unwrap(render(text)), `seed ${seed}`).toBe(flat(render(text, undefined, true)));
    }
  });

  it('keeps highlight offsets into the whole text, also for highlights across blocks', () => {
    const text = doc(5, true);
    const blocks = splitBlocks(text) ?? [];
    const seam = blocks[1]?.start ?? 0;
    const marks: MarkRange[] = [
      { id: 'h1', start: 10, end: 40, title: 'near the start' },
      { id: 'h2', start: seam - 30, end: seam + 30, title: 'across a block boundary' },
      { id: 'h3', start: text.length - 25, end: text.length - 5, title: 'near the end' },
    ];
    const split = unwrap(render(text, marks));
    expect(split).toBe(flat(render(text, marks, true)));
    expect(split.match(/data-hl="h2"/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
  });

  it('parses short texts and texts with link or footnote definitions whole', () => {
    expect(splitBlocks('short\n\ntext')).toBeNull();
    const withRef = `${doc(6, false)}\n\n[ref]: https://example.org\n\nSee [the ref][ref].`;
    expect(splitBlocks(withRef)).toBeNull();
    expect(render(withRef)).not.toContain('md-block');
  });

  it('keeps raw HTML inert in blocks', () => {
    const text = `${doc(8, false)}\n\n<img src=x onerror="alert(1)">\n\n<script>alert(2)</script>`;
    const html = render(text);
    expect(html).toContain('md-block');
    expect(html).not.toMatch(/<img|<script/i);
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('uses GFM only where GFM syntax can be', () => {
    expect(gfmUse('plain words and *emphasis*')).toBe('none');
    expect(gfmUse('| a | b |\n| - | - |')).toBe('table');
    for (const s of ['a | b ~~x~~', '- [ ] box', 'note[^1]', 'www.example.com', 'https://x.org', 'a@b.org']) expect(gfmUse(s), s).toBe('full');
  });

  it('renders tables alike with the table extension alone and with all of GFM', () => {
    // A text whose only GFM syntax is tables, so that its blocks use the table extension alone.
    const table = '| Item | Dose |\n| :-- | --: |\n| a *b* `c` | 1 \\| 2 |\n| no pipe row\n';
    const text = Array.from({ length: 40 }, (_, i) => `${'Words about the dose and the clause. '.repeat(12)}${i}\n\n${table}`).join('\n');
    const blocks = splitBlocks(text) ?? [];
    expect(blocks.length).toBeGreaterThan(1);
    expect(blocks.every((b) => b.gfm === 'table')).toBe(true);
    expect(unwrap(render(text))).toBe(flat(render(text, undefined, true)));
  });
});
