import type { Page } from '@playwright/test';
import { CLINICAL, ensureIdentity, expect, gotoTask, test } from './fixtures.ts';

/** The overlay's section headings in order, and which of them sit in the folded "Other screens". */
async function sections(page: Page): Promise<{ here: string[]; elsewhere: string[]; folded: boolean }> {
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  return dialog.evaluate((d) => {
    const names = (root: Element | null, skipFolded: boolean): string[] =>
      [...(root?.querySelectorAll('.shortcut-scope') ?? [])].filter((h) => !skipFolded || !h.closest('details')).map((h) => h.textContent ?? '');
    const details = d.querySelector('details.shortcut-elsewhere');
    return { here: names(d, true), elsewhere: names(details, false), folded: details instanceof HTMLDetailsElement && !details.open };
  });
}

test('? shows the current screen’s shortcuts first and folds the other screens away', async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await ensureIdentity(page);

  await gotoTask(page, CLINICAL, 'clin-001');
  await page.keyboard.press('?');
  const compare = await sections(page);
  expect(compare.here).toEqual(['Compare task', 'Any task', 'Anywhere']);
  expect(compare.folded).toBe(true);
  expect(compare.elsewhere).toEqual(expect.arrayContaining(['Bundles', 'Queue', 'Exemplar task', 'Trajectory task']));
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog.getByText('Prefer Response A, B, C', { exact: false })).toBeVisible();
  await expect(dialog.getByText('Next step', { exact: true })).toBeHidden();
  await expect(dialog).toContainText('it never leaves a task');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('radio', { name: 'Response A', exact: true })).toBeFocused();

  await gotoTask(page, CLINICAL, 'clin-011');
  await expect(page.getByRole('feed')).toBeVisible();
  await page.keyboard.press('?');
  expect((await sections(page)).here).toEqual(['Trajectory task', 'Any task', 'Anywhere']);
  await page.keyboard.press('Escape');

  await page.keyboard.press('g');
  await page.keyboard.press('q');
  await expect(page.getByRole('listbox', { name: /Tasks/ })).toBeFocused();
  await page.keyboard.press('?');
  expect((await sections(page)).here).toEqual(['Queue', 'Anywhere']);
  // The rest is one keypress away.
  await page.getByText(/^Other screens/).click();
  await expect(dialog.getByText('Next step', { exact: true })).toBeVisible();
});
