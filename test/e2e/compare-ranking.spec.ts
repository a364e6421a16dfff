import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { CLINICAL, ensureIdentity, expect, openBundle, openTaskOfKind, test } from './fixtures.ts';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** The ranking as the rows' accessible names, top to bottom. */
const rankRows = (page: Page): Promise<string[]> =>
  page.locator('.rank-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));

const focusedRank = (page: Page): Promise<string | null> => page.evaluate(() => document.activeElement?.getAttribute('data-rank-id') ?? null);

test('a 4-way compare ranked with ties entirely from the keyboard, in tabs, survives a reload', async ({ page, appUrl }, testInfo) => {
  // A long keyboard walk: more than the default minute on a loaded machine.
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(appUrl);
  await ensureIdentity(page, 'Dr. Ranking Keys');
  await openBundle(page, CLINICAL);
  await openTaskOfKind(page, 'Compare');

  // ] walks the bundle until the task with four responses.
  for (let i = 0; i < 8 && !(await page.getByRole('heading', { name: 'Response D' }).isVisible()); i += 1) {
    await page.keyboard.press(']');
    await expect(page.locator('.compare')).toBeVisible();
    await page.waitForTimeout(100);
  }
  await expect(page.getByRole('heading', { name: 'Response D' })).toBeVisible();
  const title = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
  expect(await seriousViolations(page)).toEqual([]);

  // Grid by default; l switches to tabs (one response at a time), arrow keys move between tabs.
  await page.keyboard.press('l');
  const tabs = page.getByRole('tablist', { name: 'Responses' });
  await expect(tabs).toBeVisible();
  await expect(page.getByRole('tab', { name: /Response A/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { name: 'Response B' })).toBeHidden();
  await page.getByRole('tab', { name: /Response A/ }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: /Response B/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { name: 'Response B' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // Sync scrolling can be turned off and on.
  await page.keyboard.press('Shift+L');
  await expect(page.getByRole('button', { name: /Sync scrolling off/ })).toBeVisible();
  await page.keyboard.press('Shift+L');
  await expect(page.getByRole('button', { name: /Sync scrolling on/ })).toBeVisible();

  // Best pick B, much better.
  await page.keyboard.press('2');
  await page.keyboard.press('Shift+3');
  await expect(page.getByRole('radio', { name: 'Response B', exact: true })).toBeChecked();

  // Scores: s jumps to the first missing one (switching tab if needed), the arrow key chooses.
  const needed = page.locator('.needed li').filter({ hasText: /^Score/ });
  for (let i = 0; i < 40 && (await needed.count()) > 0; i += 1) {
    await page.keyboard.press('s');
    await page.keyboard.press('ArrowRight');
  }
  await expect(needed).toHaveCount(0);
  await page.keyboard.press('r');
  await page.keyboard.type('B is safest; A and C are equivalent; D misses the red flag.');
  await page.keyboard.press('Escape');

  // Submitting without a ranking is refused by the workspace.
  await page.keyboard.press('Control+Enter');
  const alert = page.locator('.alert[role="alert"]');
  await expect(alert).toContainText('ranking');
  await expect(alert).toBeFocused();

  // g r focuses the ranking; ↓ moves between rows; Alt+↑ moves B to the top; = ties C with A.
  await page.keyboard.press('g');
  await page.keyboard.press('r');
  expect(await focusedRank(page)).not.toBeNull();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Alt+ArrowUp');
  await expect.poll(() => rankRows(page)).toEqual(['Response B: rank 1', 'Response A: rank 2', 'Response C: rank 3', 'Response D: rank 4']);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('=');
  const ranked = ['Response B: rank 1', 'Response A: rank 2, tied', 'Response C: rank 2, tied', 'Response D: rank 4'];
  await expect.poll(() => rankRows(page)).toEqual(ranked);
  await expect(page.getByText('Everything required is filled in.')).toBeVisible();

  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('heading', { name: 'Submitted (revision 1)' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Next task/ })).toBeFocused();

  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/compare-4way-tabs.png' });
  await testInfo.attach('compare-4way-tabs', { path: 'test-results/screenshots/compare-4way-tabs.png', contentType: 'image/png' });
  await page.keyboard.press('l');
  await page.screenshot({ path: 'test-results/screenshots/compare-4way-grid.png', fullPage: false });
  expect(await seriousViolations(page)).toEqual([]);

  // After a reload: submitted, with the same ranking and best pick.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Submitted (revision 1)' })).toBeVisible();
  await expect.poll(() => rankRows(page)).toEqual(ranked);
  await expect(page.getByRole('radio', { name: 'Response B', exact: true })).toBeChecked();
  await expect(page.getByRole('radio', { name: 'Much better' })).toBeChecked();
});
