import AxeBuilder from '@axe-core/playwright';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { CLINICAL, coreCall, ensureIdentity, expect, gotoTask, importFreshBundle, test } from './fixtures.ts';

/**
 * Calibration feedback on gold items (tasks.goldFeedback): once an annotator has submitted a
 * gold comparison, the reference answer stands beside theirs, named by the letters they saw;
 * never before submission; and a bundle that turns calibration feedback off (a blind test set)
 * shows no reference at all. clin-001 is the clinical sample's gold comparison (reference: r2).
 */
const BLIND = 'e2e.blind-calibration';
const GOLD_TASK = 'clin-001';
const HEADING = 'Calibration item: the reference answer';

/** The clinical sample again, as a blind calibration set: its own id, calibrationFeedback off. */
test.use({
  hostSetup: {
    prepare: async (dataDir: string) => {
      const src = mkdtempSync(join(tmpdir(), 'casebook-e2e-blind-'));
      try {
        cpSync('resources/samples/clinical', src, { recursive: true });
        const settings = JSON.parse(readFileSync(join(src, 'bundle.json'), 'utf8')) as Record<string, unknown>;
        writeFileSync(join(src, 'bundle.json'), JSON.stringify({ ...settings, id: BLIND, title: 'Blind calibration set', calibrationFeedback: false }));
        importFreshBundle(src, dataDir);
      } finally {
        rmSync(src, { recursive: true, force: true });
      }
    },
  },
});

const letterOf = (order: readonly string[], id: string): string => `Response ${String.fromCharCode(65 + order.indexOf(id))}`;

/** Chooses `choice` (clearly better), fills every score with its first point and a rationale, and submits from the keyboard. */
async function answerAndSubmit(page: Page, choice: string): Promise<void> {
  await page.getByRole('radio', { name: choice, exact: true }).check();
  await page.getByRole('radio', { name: 'Clearly better' }).check();
  const groups = page.locator('.response-scores [role="radiogroup"]');
  for (let i = 0, n = await groups.count(); i < n; i++) await groups.nth(i).getByRole('radio').first().check();
  await page.getByLabel(/Rationale/).fill('The chosen answer follows the weight-band dosing; the other does not.');
  await expect(page.getByText('Everything required is filled in.')).toBeVisible();
  await page.getByLabel(/Rationale/).press('Control+Enter');
  await expect(page.getByRole('heading', { name: 'Submitted (revision 1)' })).toBeVisible();
}

test.beforeEach(async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await ensureIdentity(page, 'Dr. Amara Okafor');
});

test('after submitting a gold item the annotator sees the reference answer beside theirs, and not before', async ({ page, appUrl }) => {
  await gotoTask(page, CLINICAL, GOLD_TASK);
  const { displayOrder } = await coreCall<{ displayOrder: string[] }>(appUrl, 'tasks.open', { bundleId: CLINICAL, taskId: GOLD_TASK });
  const reference = letterOf(displayOrder, 'r2');
  const mine = letterOf(displayOrder, 'r1');

  // Before submission: nothing of the reference, on the page or from the core.
  await expect(page.getByRole('heading', { name: HEADING })).toHaveCount(0);
  expect(await coreCall(appUrl, 'tasks.goldFeedback', { bundleId: CLINICAL, taskId: GOLD_TASK })).toEqual({ available: false, reason: 'not_submitted' });

  // The wrong one, so the two columns differ and the row says so.
  await answerAndSubmit(page, mine);
  const feedback = page.getByRole('region', { name: HEADING });
  await expect(feedback).toBeVisible();
  const row = feedback.getByRole('row', { name: /Preferred/ });
  await expect(row.getByRole('cell').nth(0)).toHaveText(reference);
  await expect(row.getByRole('cell').nth(1)).toHaveText(`${mine} — differs`);
  await expect(feedback).toContainText('adults 33–50 kg need 15 mg/kg per dose');

  // Still there after a reload: it belongs to the submitted revision, not to the moment.
  await page.reload();
  await expect(page.getByRole('region', { name: HEADING }).getByRole('row', { name: /Preferred/ })).toContainText(reference);

  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('a bundle with calibrationFeedback off shows no reference answer after submission', async ({ page, appUrl }) => {
  await gotoTask(page, BLIND, GOLD_TASK);
  const { displayOrder } = await coreCall<{ displayOrder: string[] }>(appUrl, 'tasks.open', { bundleId: BLIND, taskId: GOLD_TASK });
  await answerAndSubmit(page, letterOf(displayOrder, 'r1'));

  expect(await coreCall(appUrl, 'tasks.goldFeedback', { bundleId: BLIND, taskId: GOLD_TASK })).toEqual({ available: false, reason: 'hidden_by_bundle' });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Submitted (revision 1)' })).toBeVisible();
  await expect(page.getByRole('heading', { name: HEADING })).toHaveCount(0);
  await expect(page.locator('.task-page')).not.toContainText('adults 33–50 kg need 15 mg/kg per dose');

  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});
