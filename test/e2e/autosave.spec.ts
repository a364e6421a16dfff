import { CLINICAL, ensureIdentity, expect, openBundle, openTaskOfKind, test } from './fixtures.ts';

test('a draft autosaves within a second and is there after a reload', async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await ensureIdentity(page);
  await openBundle(page, CLINICAL);
  const title = await openTaskOfKind(page, 'Compare', 'To do');

  await page.getByRole('radio', { name: 'Response B', exact: true }).check();
  await page.getByLabel(/Rationale/).fill('Draft thought: B is more cautious.');
  await page.waitForTimeout(1_200);
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Response B', exact: true })).toBeChecked();
  await expect(page.getByLabel(/Rationale/)).toHaveValue('Draft thought: B is more cautious.');
  await expect(page.getByText('Draft', { exact: true }).first()).toBeVisible();
});

test('leaving a task right after an edit still saves the draft', async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await ensureIdentity(page);
  await openBundle(page, CLINICAL);
  const title = await openTaskOfKind(page, 'Compare', 'To do');

  // Choose "Tie" and leave at once, well before the autosave delay.
  await page.keyboard.press('t');
  await expect(page.getByRole('radio', { name: 'Tie' })).toBeChecked();
  await page.keyboard.press('g');
  await page.keyboard.press('q');

  const row = page.getByRole('option', { name: new RegExp(title) });
  await expect(row).toContainText('Draft');
  await row.click();
  await expect(page.getByRole('radio', { name: 'Tie' })).toBeChecked();
});
