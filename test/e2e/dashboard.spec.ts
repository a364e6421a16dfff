import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { ensureIdentity, expect, test } from './fixtures.ts';

/** A reviewer's workstation holding three annotators' planted work, received as signed batches. */
test.use({
  hostSetup: {
    prepare: async (dataDir: string) => {
      execFileSync(process.execPath, ['--import', 'tsx', 'test/support/seed-insight.ts', dataDir], { stdio: 'inherit' });
    },
  },
});

test('a reviewer sees the planted bias and disagreement on the dashboard and drills into the tasks', async ({ page, appUrl }) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(appUrl);
  await ensureIdentity(page);
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Agreement dashboard', level: 1 })).toBeVisible();

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
