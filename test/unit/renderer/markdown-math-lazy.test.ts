import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Markdown } from '../../../renderer/src/components/Markdown.tsx';
import { loadMath, markdownPipeline, mathLoaded } from '../../../renderer/src/components/markdown/plugins.ts';

// Its own file: modules are fresh per test file, so KaTeX has not been loaded here yet.
const render = (text: string): string => renderToStaticMarkup(createElement(Markdown, { text }));

describe('KaTeX loaded on demand', () => {
  it('shows TeX as code until KaTeX is in, keeps money as text, then typesets', async () => {
    expect(mathLoaded()).toBe(false);
    expect(markdownPipeline('a $x^2$').math).toBe(true);
    expect(markdownPipeline('a $x^2$').rehypePlugins).toHaveLength(0);
    expect(markdownPipeline('no math').math).toBe(false);

    const before = render('Pay $5 for $x^2$.');
    expect(before).not.toContain('katex');
    expect(before).toContain('language-math');
    expect(before).toContain('x^2');
    expect(before).toContain('Pay $5 for ');

    await loadMath();
    expect(mathLoaded()).toBe(true);
    const after = render('Pay $5 for $x^2$.');
    expect(after).toContain('class="katex"');
    expect(after).toContain('Pay $5 for ');
  });
});
