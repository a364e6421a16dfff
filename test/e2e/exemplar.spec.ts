import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { CLINICAL, ensureIdentity, expect, openBundle, test } from './fixtures.ts';

/** Console errors and CSP violations the page reports (Monaco must run under the app's CSP). */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** The editable (right-hand) side of Monaco's diff editor has keyboard focus. */
const editorFocused = (page: Page): Promise<boolean> =>
  page.evaluate(() => document.activeElement?.closest('.editor.modified') !== null && document.activeElement?.tagName === 'TEXTAREA');

const figure = (page: Page) => page.locator('.diff-figure');

test('an exemplar done entirely from the keyboard: diff editor, unchanged guard, undo, preview, submit, reload, revise', async ({ page, appUrl }, testInfo) => {
  // A long keyboard walk: more than the default minute on a loaded machine.
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(appUrl);
  await ensureIdentity(page, 'Dr. Exemplar Keys');
  await openBundle(page, CLINICAL);

  // Queue: j until an exemplar still to do is selected, then Enter.
  const selected = page.getByRole('option', { selected: true });
  for (let i = 0; i < 20; i += 1) {
    const text = (await selected.textContent()) ?? '';
    if (text.includes('Exemplar') && text.includes('To do')) break;
    await page.keyboard.press('j');
  }
  await expect(selected).toContainText('Exemplar');
  const title = (await selected.locator('.queue-title').textContent()) ?? '';
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();

  // The diff editor renders (under the CSP), starting from the draft; focus is on its frame, not
  // inside it, so the screen's single-key shortcuts never type into the correction.
  await expect(page.locator('.diff-editor[data-ready]')).toBeVisible();
  await expect(page.locator('.editor.original .view-lines')).not.toBeEmpty();
  await expect(page.locator('.diff-editor-wrap')).toBeFocused();
  await expect(figure(page)).toContainText('+0');
  await expect(page.getByText('The correction is still identical to the draft.')).toBeVisible();

  // Submitting the draft unchanged is refused by the core until confirmed.
  await page.keyboard.press('Control+Enter');
  const alert = page.locator('.alert[role="alert"]');
  await expect(alert).toContainText('identical to the model draft');
  await expect(alert).toBeFocused();
  await page.keyboard.press('Shift+U');
  await expect(page.getByRole('checkbox', { name: /needs no change/ })).toBeChecked();
  await page.keyboard.press('Shift+U');
  await expect(page.getByRole('checkbox', { name: /needs no change/ })).not.toBeChecked();

  // Edit in the editor: the live word-diff figure follows; undo and redo work.
  await page.keyboard.press('w');
  await expect.poll(() => editorFocused(page)).toBe(true);
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Safety-net: return at once if new confusion, fever or reduced urine output.');
  await expect(figure(page)).toContainText('+15');
  await expect(page.getByText('The correction is still identical to the draft.')).toHaveCount(0);
  await page.keyboard.press('Escape');
  // Monaco groups typing into word-sized undo steps: one undo takes back the last words.
  await page.keyboard.press('Control+z');
  await expect(figure(page)).not.toContainText('+15');
  await page.keyboard.press('Control+Shift+z');
  await expect(figure(page)).toContainText('+15');

  // The rendered preview and back.
  await page.keyboard.press('p');
  const preview = page.getByRole('region', { name: 'Rendered preview of the correction' });
  await expect(preview).toContainText('Safety-net: return at once');
  await page.keyboard.press('p');
  await expect(preview).toHaveCount(0);

  // Note, an error type, and submit with Ctrl+Enter from the note field.
  await page.keyboard.press('m');
  await expect(page.getByLabel('What was wrong')).toBeFocused();
  await page.keyboard.type('No safety-netting advice.');
  await page.keyboard.press('Escape');
  await page.keyboard.press('y');
  await page.keyboard.press('Space');
  await expect(page.locator('.error-types input:checked')).toHaveCount(1);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('heading', { name: 'Submitted (revision 1)' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Next task/ })).toBeFocused();

  // Guidelines open at the section on exemplars.
  await page.keyboard.press('g');
  await page.keyboard.press('g');
  await expect(page.locator('.guidelines-section.is-current')).toContainText(/exemplar/i);

  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/exemplar-view.png' });
  await testInfo.attach('exemplar-view', { path: 'test-results/screenshots/exemplar-view.png', contentType: 'image/png' });

  const a11y = await new AxeBuilder({ page }).analyze();
  expect(a11y.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  // After a reload: submitted, the same correction (the stored figure) and note.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Submitted (revision 1)' })).toBeVisible();
  await expect(page.locator('.diff-editor[data-ready]')).toBeVisible();
  await expect(figure(page)).toContainText('+15');
  await expect(page.getByLabel('What was wrong')).toHaveValue('No safety-netting advice.');
  await expect(page.locator('.error-types input:checked')).toHaveCount(1);
  // Read-only, what was ticked stays plain to see: drawn in the accent colour, its label at full
  // strength (Chromium's own disabled box was light grey on grey).
  const ticked = page.locator('.error-types input:checked');
  await expect(ticked).toBeDisabled();
  expect(await ticked.evaluate((el) => ({ look: getComputedStyle(el).appearance, border: getComputedStyle(el).borderTopColor }))).toEqual({ look: 'none', border: 'rgb(47, 74, 192)' });
  expect(await ticked.evaluate((el) => getComputedStyle(el.closest('label') ?? el).fontWeight)).toBe('600');

  // Revise: a new draft revision; change it and submit revision 2; history lists both.
  await page.keyboard.press('e');
  await expect(page.locator('.diff-editor-wrap')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(() => editorFocused(page)).toBe(true);
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Review within 48 hours.');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('heading', { name: 'Submitted (revision 2)' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'History' }).or(page.locator('.history'))).toContainText('Revision 1');

  // The next exemplar gets a fresh editor: its own draft on the left, focus on its frame.
  const draftBefore = await page.locator('.editor.original .view-lines').textContent();
  await page.keyboard.press(']');
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(title);
  await expect(page.locator('.diff-editor[data-ready]')).toBeVisible();
  await expect(page.locator('.editor.original .view-lines')).not.toHaveText(draftBefore ?? '');
  await expect(page.locator('.diff-editor-wrap')).toBeFocused();
  await expect(figure(page)).toContainText('+0');

  expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  // The one expected error: the core's 422 refusal of the unchanged draft.
  expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
});
