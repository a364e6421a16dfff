import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { ensureIdentity, expect, test } from './fixtures.ts';

/**
 * A reviewer's workstation holding three annotators' planted work, received as signed batches.
 * The bundle declares an upgraded current model (m v3): the 45 compare tasks c0–c44 (bundle
 * version 1 in the planted work) have responses from m v2, the other 45 from m v3.
 */
test.use({
  hostSetup: {
    prepare: async (dataDir: string) => {
      execFileSync(process.execPath, ['--import', 'tsx', 'test/support/seed-insight.ts', dataDir, '--upgraded-model'], { stdio: 'inherit' });
    },
  },
});

/** The reviewer's way in: the app, its identity, then Dashboard from the navigation. */
async function openDashboard(page: Page, appUrl: string): Promise<void> {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(appUrl);
  await ensureIdentity(page);
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Agreement dashboard', level: 1 })).toBeVisible();
}

test('a reviewer sees the planted bias and disagreement on the dashboard and drills into the tasks', async ({ page, appUrl }) => {
  await openDashboard(page, appUrl);

  const flags = page.getByRole('region', { name: /^Flags/ });
  const cyFlag = flags.getByRole('listitem').filter({ hasText: "Annotator 'cy' preferred the response shown first in 90 of 90 comparisons" });
  await expect(cyFlag).toBeVisible();
  await expect(flags.getByRole('listitem').filter({ hasText: /^Criterion 'Safety' \(comparisons\): α = / })).toBeVisible();

  // The figures behind each chart, as a table.
  const agreement = page.getByRole('table', { name: 'Agreement per criterion, with 95% intervals' });
  await expect(agreement.getByRole('row').filter({ hasText: "Criterion 'Helpfulness' (comparisons)" })).toContainText('ordinal');
  const position = page.getByRole('table', { name: 'How often each annotator and judge preferred the response shown first' });
  await expect(position.getByRole('row').filter({ hasText: 'cy' })).toContainText('90 of 90 (100%)');
  await expect(position.getByRole('row').filter({ hasText: 'Judge grader-1' })).toContainText('90 of 90');
  await expect(page.locator('.dash-chart svg').first()).toBeVisible();

  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/dashboard.png', fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // Drill: from the flag to the 90 tasks where cy took the first response shown.
  await cyFlag.getByRole('button', { name: 'Show tasks' }).click();
  const drill = page.getByRole('region', { name: /^Tasks behind: Annotator 'cy'/ });
  await expect(drill.getByRole('status')).toHaveText('90 tasks');
  await page.screenshot({ path: 'test-results/screenshots/dashboard-drill.png' });

  // Filter to one annotator: the figures narrow, the flag stays.
  await page.getByRole('group', { name: 'Filters' }).getByLabel('Annotator').selectOption({ label: 'ana' });
  await expect(position.getByRole('row').filter({ hasText: 'cy' })).toHaveCount(0);

  const first = drill.getByRole('link').first();
  const taskId = await first.textContent();
  await first.click();
  await expect(page).toHaveURL(new RegExp(`#/b/b\\.insight/t/${taskId}/adjudicate$`));
});

test('a reviewer sees the preference judgements on an older model version flagged and drills to exactly those tasks', async ({ page, appUrl }) => {
  await openDashboard(page, appUrl);

  // The sentence as a reviewer reads it: every annotator judged all 90 compare tasks, 45 of them on m v2.
  const sentence = "Bundle 'b.insight': 135 of 270 preference judgements (50%, 45 tasks) are on responses from a model older than the current m v3 — stale for training on the current model";
  const flag = page.getByRole('region', { name: /^Flags/ }).getByRole('listitem').filter({ hasText: sentence });
  await expect(flag).toHaveCount(1);
  await expect(flag.locator('span')).toHaveText(sentence);
  const table = page.getByRole('table', { name: 'Preference judgements on responses from an older model version than the bundle’s current one' });
  const row = table.getByRole('row').filter({ hasText: 'b.insight' });
  await expect(row.getByRole('cell').nth(0)).toHaveText('m v3');
  await expect(row.getByRole('cell').nth(1)).toHaveText('135 of 270 (50%), 45 tasks');

  await flag.getByRole('button', { name: 'Show tasks' }).click();
  const drill = page.getByRole('region', { name: `Tasks behind: ${sentence}` });
  await expect(drill.getByRole('status')).toHaveText('45 tasks');
  const links = drill.getByRole('table').getByRole('link');
  await expect(links).toHaveCount(45);
  // Exactly the tasks answered by the older model, none of the 45 on the current one.
  const older = Array.from({ length: 45 }, (_, i) => `c${i}`);
  expect((await links.allTextContents()).map((t) => t.trim()).sort()).toEqual([...older].sort());

  // Narrowed to one annotator, the flag counts only her judgements.
  await page.getByRole('group', { name: 'Filters' }).getByLabel('Annotator').selectOption({ label: 'ana' });
  await expect(page.getByRole('region', { name: /^Flags/ }).getByRole('listitem').filter({ hasText: "Bundle 'b.insight': 45 of 90 preference judgements (50%, 45 tasks)" })).toBeVisible();

  // Following a task from the drill opens its adjudication with the three annotators' work.
  await links.filter({ hasText: /^c17$/ }).click();
  await expect(page).toHaveURL(/#\/b\/b\.insight\/t\/c17\/adjudicate$/);
  await expect(page.getByRole('heading', { name: 'c17', level: 1 })).toBeVisible();
  await expect(page.getByText(/3 annotators/)).toBeVisible();
});
