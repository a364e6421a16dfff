import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { CLINICAL, expect, test } from './fixtures.ts';

/** Name of whatever has keyboard focus (for steering by keyboard only). */
const focusedText = (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.textContent ?? '');

/** For every radio group on the page: its name and the name of the chosen option. */
async function choices(page: Page): Promise<Record<string, string | null>> {
  return page.evaluate(() => {
    const out: Record<string, string | null> = {};
    for (const group of document.querySelectorAll('[role="radiogroup"]')) {
      const labelledBy = group.getAttribute('aria-labelledby');
      const name = group.getAttribute('aria-label') ?? (labelledBy ? document.getElementById(labelledBy)?.textContent : null) ?? '?';
      const checked = group.querySelector<HTMLInputElement>('input[type="radio"]:checked');
      out[name] = checked ? (checked.getAttribute('aria-label') ?? checked.value) : null;
    }
    return out;
  });
}

test('a compare task done entirely from the keyboard survives a reload as submitted', async ({ page, appUrl }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(appUrl);

  // First start: the name field has focus; Enter submits the form.
  await expect(page.getByRole('heading', { name: 'Set up this workstation' })).toBeVisible();
  await expect(page.getByLabel('Display name')).toBeFocused();
  await page.keyboard.type('Dr. Keyboard Only');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Bundles', level: 1 })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Signed-in identity' })).toContainText('Dr. Keyboard Only');

  // The ? overlay lists the shortcuts and closes with Escape.
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Submit');
  await expect(dialog).toContainText('Prefer Response A');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Bundles: j moves through the cards; Enter opens the clinical sample.
  for (let i = 0; i < 6 && !(await focusedText(page)).includes(CLINICAL); i += 1) await page.keyboard.press('j');
  expect(await focusedText(page)).toContain(CLINICAL);
  await page.keyboard.press('Enter');

  // Queue: j until a compare task still to do is selected, then Enter.
  const listbox = page.getByRole('listbox', { name: /Tasks/ });
  await expect(listbox).toBeFocused();
  const selected = page.getByRole('option', { selected: true });
  for (let i = 0; i < 20; i += 1) {
    const text = (await selected.textContent()) ?? '';
    if (text.includes('Compare') && text.includes('To do')) break;
    await page.keyboard.press('j');
  }
  await expect(selected).toContainText('Compare');
  const title = (await selected.locator('.queue-title').textContent()) ?? '';
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Response A' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Response B' })).toBeVisible();

  // Preference and strength by shortcut.
  await page.keyboard.press('1');
  await expect(page.getByRole('radio', { name: 'Response A', exact: true })).toBeChecked();
  await page.keyboard.press('Shift+2');
  await expect(page.getByRole('radio', { name: 'Clearly better' })).toBeChecked();

  // Scores: `s` jumps to the first missing required score, the arrow key chooses. Leave one out.
  const needed = page.locator('.needed li').filter({ hasText: /^Score/ });
  const missingScores = await needed.count();
  expect(missingScores).toBeGreaterThan(0);
  for (let i = 0; i < missingScores - 1; i += 1) {
    await page.keyboard.press('s');
    await page.keyboard.press('ArrowRight');
  }
  await expect(needed).toHaveCount(1);

  // Rationale: `r` focuses it; typing letters there must not trigger shortcuts.
  await page.keyboard.press('r');
  await expect(page.getByLabel(/Rationale/)).toBeFocused();
  await page.keyboard.type('A is clearer about red-flag symptoms and tells the patient when to seek care; B omits the 1-2 day threshold.');
  await expect(page.getByRole('radio', { name: 'Response A', exact: true })).toBeChecked();

  // Submitting with a required score missing is refused with a clear message; focus moves there.
  await page.keyboard.press('Control+Enter');
  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Not submitted');
  await expect(alert).toContainText('required');
  await expect(alert).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Submitted (revision 1)' })).toHaveCount(0);

  // Fill the last score and submit.
  await page.keyboard.press('s');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByText('Everything required is filled in.')).toBeVisible();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('heading', { name: 'Submitted (revision 1)' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Next task/ })).toBeFocused();
  await expect(page.getByRole('radio', { name: 'Response A', exact: true })).toBeDisabled();

  const before = await choices(page);
  const rationale = await page.getByLabel(/Rationale/).inputValue();

  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/compare-view.png' });
  await testInfo.attach('compare-view', { path: 'test-results/screenshots/compare-view.png', contentType: 'image/png' });

  // After a reload the same task shows as submitted, exactly as left.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Submitted (revision 1)' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Response A', exact: true })).toBeChecked();
  await expect(page.getByRole('radio', { name: 'Clearly better' })).toBeChecked();
  await expect(page.getByLabel(/Rationale/)).toHaveValue(rationale);
  expect(await choices(page)).toEqual(before);
  await expect(page.getByRole('region', { name: 'History' })).toContainText('Revision 1');

  // Revise: a new draft revision starting from the submitted content, then submit it again.
  await page.keyboard.press('e');
  await expect(page.getByRole('radio', { name: 'Response A', exact: true })).toBeEnabled();
  await expect(page.getByRole('radio', { name: 'Response A', exact: true })).toBeChecked();
  await page.keyboard.press('Shift+3');
  await expect(page.getByRole('radio', { name: 'Much better' })).toBeChecked();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('heading', { name: 'Submitted (revision 2)' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'History' })).toContainText('Revision 1');

  // Next task to do: a different task opens with focus on its first control.
  await page.keyboard.press('n');
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(title);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const focusedGroup = await page.evaluate(() => {
    const el = document.activeElement;
    const group = el?.closest('[role="radiogroup"]');
    const id = group?.getAttribute('aria-labelledby');
    return id ? document.getElementById(id)?.textContent ?? '' : (el?.tagName ?? '');
  });
  expect(focusedGroup).toMatch(/Which response is (better|best)\?|H1/);

  // Back to the queue (g q; Esc never leaves a task): the first task is listed as submitted.
  await page.keyboard.press('g');
  await page.keyboard.press('q');
  await expect(page.getByRole('option', { name: new RegExp(title) })).toContainText('Submitted');
});
