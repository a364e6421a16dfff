import { beforeAll, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Markdown } from '../../../renderer/src/components/Markdown.tsx';
import type { MarkRange } from '../../../renderer/src/components/highlights/marks.ts';
import { MONEY_MARK, maskMoney, mathRanges } from '../../../renderer/src/components/markdown/math.ts';
import { loadMath, markdownPipeline } from '../../../renderer/src/components/markdown/plugins.ts';

// KaTeX is loaded on demand (the first text with math); these tests typeset from the start.
beforeAll(() => loadMath());

const render = (text: string, marks?: readonly MarkRange[]): string => renderToStaticMarkup(createElement(Markdown, { text, marks }));
/** Rendered text with the tags removed (entities as rendered by React). */
const textOf = (html: string): string => html.replace(/<[^>]*>/g, '');
const count = (html: string, needle: string): number => html.split(needle).length - 1;

describe('which $ delimit math', () => {
  it('takes $…$ and $$…$$ as math', () => {
    expect(mathRanges('a $x^2$ b')).toEqual([{ start: 2, end: 7, display: false }]);
    expect(mathRanges('$\\frac{a}{b}$')).toHaveLength(1);
    expect(mathRanges('$$\\sum_{i=1}^n x_i$$')).toEqual([{ start: 0, end: 20, display: true }]);
    expect(mathRanges('pay $5 when $x > 1$')).toEqual([{ start: 12, end: 19, display: false }]);
  });
  it('leaves money alone', () => {
    for (const money of ['$5 and $10', 'costs $3,000 to $4,000', '$3,000–$4,000', 'US$ 50', 'US$50 or US$60', '$5, $10', 'from $5/$10', '\\$x$']) {
      expect(mathRanges(money), money).toEqual([]);
    }
  });
  it('masks exactly the money $, keeping every offset', () => {
    const text = 'Pay $5 and $10 for $x^2$ and $$y$$, not \\$3.';
    const masked = maskMoney(text);
    expect(masked).toHaveLength(text.length);
    expect(masked).toBe(`Pay ${MONEY_MARK}5 and ${MONEY_MARK}10 for $x^2$ and $$y$$, not \\$3.`);
    expect(maskMoney('no dollars')).toBe('no dollars');
  });
  it('skips the math plugins for texts without $', () => {
    expect(markdownPipeline('Plain **text**, `code`.').rehypePlugins).toHaveLength(0);
    expect(markdownPipeline('a $x$').rehypePlugins).toHaveLength(1);
    expect(markdownPipeline('```math\nx^2\n```').rehypePlugins).toHaveLength(1);
  });
});

describe('typeset math in Markdown', () => {
  it('typesets inline and display math, with MathML for screen readers', () => {
    const inline = render('Clearance is $x^2$ and $\\frac{a}{b}$.');
    expect(count(inline, 'class="katex"')).toBe(2);
    expect(inline).toContain('<math');
    expect(inline).toContain('<mfrac>');
    expect(inline).not.toContain('katex-display');
    const display = render('The sum $$\\sum_{i=1}^n x_i$$ is finite.');
    expect(display).toContain('katex-display');
    expect(display).toContain('<munderover>');
    const block = render('Before\n\n$$\nE = mc^2\n$$\n\nafter');
    expect(block).toContain('katex-display');
    const fence = render('```math\n\\alpha\n```');
    expect(fence).toContain('katex-display');
  });

  it('leaves money as text', () => {
    for (const money of ['It costs $5 and $10.', 'Fees run $3,000 to $4,000 or $3,000–$4,000.', 'About US$ 50.', 'Pay **$5** or $6.']) {
      const html = render(money);
      expect(html, money).not.toContain('katex');
      expect(textOf(html), money).toBe(money.replaceAll('**', ''));
    }
    const mixed = render('Pay $5 when $x > 1$, else $10.');
    expect(count(mixed, 'class="katex"')).toBe(1);
    expect(textOf(mixed)).toContain('Pay $5 when ');
    expect(textOf(mixed)).toContain(', else $10.');
  });

  it('keeps $ in code, links and escaped dollars', () => {
    const html = render('Run `echo $HOME` then:\n\n```sh\n$ ls $DIR\n```\n\n[fee](https://example.org/?p=$5) and \\$x$ too');
    expect(html).toContain('echo $HOME');
    expect(html).toContain('$ ls $DIR');
    expect(html).toContain('https://example.org/?p=$5');
    expect(html).toContain('$x$ too');
    expect(html).not.toContain(MONEY_MARK);
    expect(html).not.toContain('katex');
  });

  it('shows TeX that does not parse as its source, in an error style', () => {
    const html = render('Broken $\\frac{1}$ here');
    expect(html).toContain('katex-error');
    expect(textOf(html)).toContain('\\frac{1}');
  });

  it('never makes a link or runs anything from math (trust is off)', () => {
    const html = render('A $\\href{javascript:alert(1)}{x}$ and $\\url{javascript:alert(2)}$ and $\\htmlClass{x}{y}$ and $\\includegraphics{https://example.invalid/p.png}$');
    expect(html).not.toMatch(/<a[\s>]/);
    expect(html).not.toMatch(/href=/);
    expect(html).not.toMatch(/<img/);
    expect(html).not.toMatch(/class="x"/);
  });

  it('renders only $$…$$ as math in a text that already contains the mask character', () => {
    const html = render(`${MONEY_MARK}1 plus $x$ and $$y$$`);
    expect(count(html, 'class="katex"')).toBe(1);
    expect(textOf(html)).toContain(`${MONEY_MARK}1 plus $x$ and`);
  });

  it('marks highlights around math and never inside it', () => {
    const text = 'Dose is $\\frac{1}{2}$ tablet twice daily.';
    const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
    const outside = render(text, [{ id: 'h1', ...at('twice daily'), title: 'note' }]);
    expect(outside).toMatch(/<mark[^>]*data-hl="h1"[^>]*>twice daily<\/mark>/);
    // A highlight overlapping the math marks the text beside it; the math itself stays whole.
    const over = render(text, [{ id: 'h2', ...at('is $\\frac{1}{2}$ tablet'), title: 'note' }]);
    expect(over).toContain('class="katex"');
    expect(over).toMatch(/<mark[^>]*>is <\/mark>/);
    expect(over).toMatch(/<mark[^>]*> tablet<\/mark>/);
    const start = over.indexOf('class="katex"');
    const nextMark = over.indexOf('<mark', start);
    // The whole typeset formula (MathML and HTML) comes before the next <mark>.
    expect(over.slice(start, nextMark)).toContain('</math>');
    expect(over.slice(start, nextMark)).toContain('class="katex-html"');
    expect(over.slice(nextMark)).not.toContain('katex');
  });
});
