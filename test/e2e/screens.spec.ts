import { mkdirSync } from 'node:fs';
import { CLINICAL, ensureIdentity, expect, openBundle, openTaskOfKind, test } from './fixtures.ts';

/** Screenshots of each screen at 1440×900, kept as test artifacts for a human to look at. */
test('screens render at 1440×900', async ({ page, appUrl }) => {
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(appUrl);
  await expect(page.getByRole('heading', { name: 'Set up this workstation' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/setup.png' });

  await ensureIdentity(page, 'Dr. Amara Okafor');
  await page.screenshot({ path: 'test-results/screenshots/bundles.png' });

  await openBundle(page, CLINICAL);
  await page.screenshot({ path: 'test-results/screenshots/queue.png' });

  await openTaskOfKind(page, 'Compare');
  await page.keyboard.press('2');
  await page.screenshot({ path: 'test-results/screenshots/compare.png' });

  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/shortcuts.png' });
  await page.keyboard.press('Escape');

  await page.keyboard.press('g');
  await page.keyboard.press('q');
  await openTaskOfKind(page, 'Exemplar');
  await expect(page.locator('.diff-editor[data-ready]')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/exemplar.png' });
  await page.keyboard.press('g');
  await page.keyboard.press('q');
  await openTaskOfKind(page, 'Trajectory');
  await page.screenshot({ path: 'test-results/screenshots/trajectory.png' });
});
