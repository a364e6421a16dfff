import { CLINICAL, LEGAL, ensureIdentity, expect, openBundle, openTaskOfKind, test } from './fixtures.ts';

test('exemplar tasks open in their editor and trajectories in their workspace, with content, and nothing is a dead end', async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await ensureIdentity(page);
  await openBundle(page, CLINICAL);

  // Exemplars have their own editing view (test/e2e/exemplar.spec.ts covers it in depth).
  await openTaskOfKind(page, 'Exemplar');
  await expect(page.getByRole('heading', { name: 'Context' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /Model draft/ })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Conversation context' })).not.toBeEmpty();
  await expect(page.locator('.diff-editor[data-ready]')).toBeVisible();

  await page.getByRole('button', { name: /^Queue/ }).click();
  // Trajectories have their own workspace now (see trajectory-keyboard.spec.ts).
  await openTaskOfKind(page, 'Trajectory');
  await expect(page.getByRole('heading', { name: 'Goal' })).toBeVisible();
  await expect(page.getByRole('feed', { name: /Steps of the run/ })).toBeVisible();
  await expect(page.getByText('Tool call').first()).toBeVisible();
  await expect(page.getByText('Tool result').first()).toBeVisible();

  // No dead ends: next task moves on, and the legal sample opens too.
  const before = await page.getByRole('heading', { level: 1 }).textContent();
  await page.keyboard.press(']');
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(before ?? '');

  await page.getByRole('link', { name: 'Bundles' }).click();
  await openBundle(page, LEGAL);
  await openTaskOfKind(page, 'Trajectory');
  await expect(page.getByText('Tool call').first()).toBeVisible();
});
