import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { CLINICAL, ensureIdentity, expect, openBundle, openTaskOfKind, test } from './fixtures.ts';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

test('no serious or critical axe violations on the compare view (and the screens leading to it)', async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await expect(page.getByRole('heading', { name: 'Set up this workstation' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await ensureIdentity(page);
  expect(await seriousViolations(page)).toEqual([]);

  await openBundle(page, CLINICAL);
  expect(await seriousViolations(page)).toEqual([]);

  await openTaskOfKind(page, 'Compare');
  await expect(page.getByRole('heading', { name: 'Response A' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // Rubric scores are radio groups: Tab moves between criteria, arrow keys choose.
  const groupOfFocus = (): Promise<string | null> =>
    page.evaluate(() => document.activeElement?.closest('[role="radiogroup"]')?.getAttribute('aria-label') ?? null);
  await page.keyboard.press('s');
  // The app moves focus to the scores in a timeout after the key: wait for it, not race it.
  await expect.poll(groupOfFocus).toMatch(/Response A/);
  const first = await groupOfFocus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radiogroup', { name: first ?? '' }).getByRole('radio', { checked: true })).toHaveCount(1);
  await page.keyboard.press('Tab');
  const second = await groupOfFocus();
  expect(second).not.toBeNull();
  expect(second).not.toEqual(first);

  // The refusal state too: alert and invalid fields.
  await page.getByRole('button', { name: /^Submit/ }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
