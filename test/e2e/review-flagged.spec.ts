import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { ensureIdentity, expect, test } from './fixtures.ts';

/** A reviewer's data directory with submitted work on a task that the next bundle version changed. */
test.use({
  hostSetup: {
    prepare: async (dataDir: string) => {
      execFileSync(process.execPath, ['--import', 'tsx', 'test/support/seed-flagged.ts', dataDir], { stdio: 'inherit' });
    },
  },
});

test('a reviewer lists work flagged by a bundle update across bundles and opens its task', async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await ensureIdentity(page);
  await page.getByRole('link', { name: 'Flagged' }).click();
  await expect(page.getByRole('heading', { name: 'Flagged after bundle updates', level: 1 })).toBeVisible();
  const table = page.getByRole('table', { name: 'Flagged annotations' });
  const row = table.getByRole('row').filter({ hasText: 'Limitation period' });
  await expect(row).toContainText('Hostile corpus base');
  await expect(row).toContainText('Rita Reviewer');
  await expect(row).toContainText('v1 → v2');
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/review-flagged.png' });

  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // The row opens that annotator's work in the real exemplar view, read-only, not a blank form.
  await row.getByRole('link', { name: 'Limitation period' }).click();
  await expect(page).toHaveURL(/#\/b\/hostile\.base\/t\/t-exemplar\/by\/[^/]+$/);
  await expect(page.getByText('Rita Reviewer’s work, revision 1')).toBeVisible();
  await expect(page.getByText('Read-only', { exact: true })).toBeVisible();
  await expect(page.getByRole('note')).toContainText('a later version changed this task');
  await expect(page.locator('.editor.modified .view-lines')).toContainText(/Twelve.years.for.a.deed/);
  // Nothing to submit or revise on someone else's work.
  await expect(page.getByRole('button', { name: /^Submit/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Revise/ })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/review-flagged-work.png' });
  const workA11y = await new AxeBuilder({ page }).analyze();
  expect(workA11y.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});
