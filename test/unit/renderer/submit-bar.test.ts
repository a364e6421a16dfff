import { describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { SubmitBarViewProps } from '../../../renderer/src/views/task/common/SubmitBar.tsx';
import type { Missing } from '../../../renderer/src/views/task/compare/compareRules.ts';

// The submit bar reads the task store, whose API client looks at `window` when it is imported;
// these tests run under Node, so a bare window stands in (the client is never called here).
vi.hoisted(() => {
  Object.assign(globalThis, { window: {} });
});
const { SubmitBarView } = await import('../../../renderer/src/views/task/common/SubmitBar.tsx');
const { hint } = await import('../../../renderer/src/keyboard/registry.ts');

const noop = (): void => undefined;
const MISSING: Missing[] = [
  { id: 'preference', message: 'Choose a preference' },
  { id: 'rationale', message: 'Write a rationale' },
];

function render(over: Partial<SubmitBarViewProps> = {}): string {
  const props: SubmitBarViewProps = {
    scope: 'compare',
    status: 'draft',
    submitting: false,
    problem: null,
    announcement: '',
    revision: 1,
    missing: [],
    describe: (path) => `described ${path}`,
    nextNote: null,
    onSubmit: noop,
    onRevise: noop,
    onNextTodo: noop,
    children: createElement('p', { id: 'fields' }, 'the view’s fields'),
    ...over,
  };
  return renderToStaticMarkup(createElement(SubmitBarView, props));
}

/** The opening tag of the one button whose text starts with `label`. */
function button(html: string, label: string): string {
  const found = [...html.matchAll(/<button[^>]*>(.*?)<\/button>/g)].filter((m) => m[1]?.startsWith(label));
  expect(found, `buttons labelled ${label}`).toHaveLength(1);
  return /^<button[^>]*>/.exec(found[0]?.[0] ?? '')?.[0] ?? '';
}
const attr = (html: string, label: string, name: string): string | null =>
  new RegExp(` ${name}="([^"]*)"`).exec(button(html, label))?.[1] ?? null;
const decode = (s: string | null): string | null => s?.replace(/&quot;/g, '"').replace(/&amp;/g, '&') ?? null;

describe('SubmitBar: a draft', () => {
  it('lists what is still needed under the fields and offers an enabled Submit with its shortcut', () => {
    const html = render({ missing: MISSING });
    expect(html).toContain('Still needed <span class="tab-count">2</span>');
    expect(html).toContain('<li>Choose a preference</li>');
    expect(html).toContain('<li>Write a rationale</li>');
    expect(button(html, 'Submit')).not.toContain('disabled');
    expect(decode(attr(html, 'Submit', 'title'))).toBe(hint('compare.submit', 'Submit'));
    expect(html).not.toContain('submitted-box');
    expect(html).not.toContain('role="alert"');
    // The fields sit above the submit area.
    expect(html.indexOf('id="fields"')).toBeLessThan(html.indexOf('submit-area'));
  });

  it('says when everything required is filled in', () => {
    const html = render({ missing: [] });
    expect(html).toContain('Everything required is filled in.');
    expect(html).not.toContain('Still needed');
  });

  it('shows eight missing items and counts the rest', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ id: `m${i}`, message: `Item ${i}` }));
    const html = render({ missing: many });
    expect(html).toContain('<li>Item 7</li>');
    expect(html).not.toContain('<li>Item 8</li>');
    expect(html).toContain('and 3 more');
  });

  it('disables Submit only while a submit is in flight', () => {
    const html = render({ submitting: true, missing: MISSING });
    expect(button(html, 'Submitting…')).toContain('disabled=""');
    // Missing fields alone never disable it: pressing it is how the refusal explains them.
    expect(button(render({ missing: MISSING }), 'Submit')).not.toContain('disabled');
  });

  it('replaces the checklist with the workspace’s refusal, naming each issue’s path', () => {
    const html = render({
      missing: MISSING,
      problem: { code: 'validation_failed', message: 'Not submitted: the ranking is incomplete.', issues: [{ path: 'answer.ranking', message: 'Rank all responses' }] },
    });
    expect(html).toContain('role="alert"');
    expect(html).toContain('tabindex="-1"');
    expect(html).toContain('<strong>Not submitted: the ranking is incomplete.</strong>');
    expect(html).toContain('Rank all responses <span class="issue-path">(described answer.ranking)</span>');
    expect(html).not.toContain('Still needed');
    expect(html).not.toContain('Could not submit.');
    expect(button(html, 'Submit')).not.toContain('disabled');
  });

  it('prefixes a refusal that is not a validation failure with “Could not submit.”', () => {
    const html = render({ problem: { code: 'transport', message: 'The core is not answering.', issues: [] } });
    expect(html).toContain('<strong>Could not submit.</strong> The core is not answering.');
    expect(html).not.toContain('class="issues"');
  });

  it('uses the submit shortcut of its own kind', () => {
    for (const scope of ['exemplar', 'trajectory'] as const) {
      expect(decode(attr(render({ scope }), 'Submit', 'title'))).toBe(hint(`${scope}.submit`, 'Submit'));
    }
  });
});

describe('SubmitBar: submitted', () => {
  it('shows the revision above the fields with Next task and Revise, and no Submit', () => {
    const html = render({ status: 'submitted', revision: 3, missing: MISSING });
    expect(html).toContain('Submitted (revision 3)</h2>');
    expect(html.indexOf('submitted-box')).toBeLessThan(html.indexOf('id="fields"'));
    expect(decode(attr(html, 'Next task', 'title'))).toBe(hint('task.nextTodo', 'Next task to do'));
    expect(decode(attr(html, 'Revise', 'title'))).toBe(hint('compare.revise', 'Revise'));
    expect(html).not.toContain('submit-area');
    expect(html).not.toContain('Still needed');
  });

  it('says when the submission was escalated, and uses the revise shortcut of its kind', () => {
    const html = render({ status: 'escalated', revision: 2, scope: 'trajectory' });
    expect(html).toContain('Submitted and escalated (revision 2)');
    expect(decode(attr(html, 'Revise', 'title'))).toBe(hint('trajectory.revise', 'Revise'));
  });

  it('shows the note from a next-task lookup that found nothing', () => {
    const html = render({ status: 'submitted', nextNote: 'Nothing left to do in this bundle. Well done.' });
    expect(html).toContain('<p class="note small" role="status">Nothing left to do in this bundle. Well done.</p>');
  });

  it('announces the submission politely', () => {
    const html = render({ status: 'submitted', announcement: 'Submitted revision 1.' });
    expect(html).toContain('<div class="sr-only" role="status" aria-live="polite">Submitted revision 1.</div>');
  });
});

describe('SubmitBar: revising', () => {
  it('treats a revision opened after a submit as a draft again: Submit back, submitted box gone', () => {
    const html = render({ status: 'draft', revision: 2, missing: [], announcement: 'Revision 2 opened as a draft.' });
    expect(html).not.toContain('submitted-box');
    expect(html).not.toContain('Revise');
    expect(button(html, 'Submit')).not.toContain('disabled');
    expect(html).toContain('Everything required is filled in.');
    expect(html).toContain('Revision 2 opened as a draft.');
  });
});
