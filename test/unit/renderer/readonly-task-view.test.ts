import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ReadOnlyTaskView } from '../../../renderer/src/views/task/common/ReadOnlyTaskView.tsx';
import { hint } from '../../../renderer/src/keyboard/registry.ts';

const noop = (): void => undefined;

describe('ReadOnlyTaskView (the fallback)', () => {
  it('says the task cannot be edited, that nothing stored changed, and offers the ways on', () => {
    const html = renderToStaticMarkup(createElement(ReadOnlyTaskView, { onPrev: noop, onNext: noop }));
    expect(html).toContain('role="alert"');
    expect(html).toContain('This task cannot be opened for editing.');
    expect(html).toContain('Nothing stored has been changed.');
    expect(html).toMatch(/<button[^>]*>Load again<\/button>/);
    expect(html).toContain(`title="${hint('task.prev')}"`);
    expect(html).toContain(`title="${hint('task.next')}"`);
    // No editing control of any kind.
    expect(html).not.toMatch(/<(input|textarea|select)\b/);
  });
});
