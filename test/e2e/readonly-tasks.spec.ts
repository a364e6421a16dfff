import { CLINICAL, LEGAL, ensureIdentity, expect, openBundle, openTaskOfKind, test } from './fixtures.ts';

test('exemplar tasks open read-only with their content; trajectories open in their workspace', async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await ensureIdentity(page);
  await openBundle(page, CLINICAL);

  await openTaskOfKind(page, 'Exemplar');
  await expect(page.getByText('Read-only for now.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Context' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Model draft' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Conversation context' })).not.toBeEmpty();
  await expect(page.getByRole('textbox')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Next task/ })).toBeVisible();

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
