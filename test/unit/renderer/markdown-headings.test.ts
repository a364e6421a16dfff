import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Markdown } from '../../../renderer/src/components/Markdown.tsx';

const render = (text: string): string => renderToStaticMarkup(createElement(Markdown, { text, whole: true }));

describe('headings in content never compete with the screen’s own', () => {
  it('moves every level down two, keeping the written level as a class', () => {
    const html = render('# Starting methotrexate\n\n## What it is for\n\n###### Small print');
    expect(html).toContain('<h3 class="md-h1">Starting methotrexate</h3>');
    expect(html).toContain('<h4 class="md-h2">What it is for</h4>');
    expect(html).toContain('<h6 class="md-h6">Small print</h6>');
    expect(html).not.toMatch(/<h[12][\s>]/);
  });
});
