import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { CLINICAL, casebookCli, expect, openBundle, test } from './fixtures.ts';

/** The Export screen does what `casebook export` does: a job with a progress bar, then what was included and why. */
const work = mkdtempSync(join(tmpdir(), 'casebook-export-e2e-'));
test.afterAll(() => rmSync(work, { recursive: true, force: true }));

test('an admin exports from the app: progress bar, then rows per format and tasks left out per reason; axe clean', async ({ page, appUrl }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(appUrl);
  const setup = page.getByRole('heading', { name: 'Set up this workstation' });
  const bundles = page.getByRole('heading', { name: 'Bundles', level: 1 });
  await expect(setup.or(bundles)).toBeVisible();
  if (await setup.isVisible()) {
    await page.getByLabel('Display name').fill('Ada Admin');
    await page.getByRole('radio', { name: 'Admin' }).check();
    await page.getByRole('button', { name: 'Create identity' }).click();
  }
  await expect(bundles).toBeVisible();

  // One submitted exemplar: the draft confirmed as needing no change.
  await openBundle(page, CLINICAL);
  const selected = page.getByRole('option', { selected: true });
  for (let i = 0; i < 20; i += 1) {
    const text = (await selected.textContent()) ?? '';
    if (text.includes('Exemplar') && text.includes('To do')) break;
    await page.keyboard.press('j');
  }
  await page.keyboard.press('Enter');
  await expect(page.locator('.diff-editor[data-ready]')).toBeVisible();
  await page.getByRole('checkbox', { name: /needs no change/ }).check();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText(/Submitted/).first()).toBeVisible();

  await page.getByRole('link', { name: 'Export' }).click();
  await expect(page.getByRole('heading', { name: 'Export training data', level: 1 })).toBeVisible();
  for (const name of ['SFT messages (TRL)', /^DPO prompt/, /^Full records/]) await expect(page.getByRole('checkbox', { name })).toBeChecked();
  await page.getByRole('checkbox', { name: /KTO prompt/ }).check();
  await page.getByLabel('Which answer a task gives').selectOption('all');
  await page.getByLabel('Bundle').first().selectOption(CLINICAL);
  const out = join(work, 'from-the-app');
  await page.getByLabel('Export folder').fill(out);

  // The job may finish in milliseconds: record whether its progress bar was ever on screen.
  await page.evaluate(() => {
    const w = window as unknown as { sawProgress: boolean };
    w.sawProgress = false;
    new MutationObserver(() => {
      if (document.querySelector('[role="progressbar"][aria-label="Export progress"]')) w.sawProgress = true;
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const summary = page.getByRole('heading', { name: 'Exported' });
  await expect(summary).toBeVisible({ timeout: 20_000 });
  expect(await page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress)).toBe(true);

  await expect(page.getByText(out)).toBeVisible();
  // The read model yields the tasks that have work: one here.
  await expect(page.getByText('1 read, 1 with a chosen answer')).toBeVisible();
  await expect(page.getByText('1 records from 0 signed batches; 1 not sealed into a batch yet')).toBeVisible();
  const rows = page.getByRole('table').first();
  // A draft confirmed as right is an SFT example; it has no worse side to be a preference pair.
  await expect(rows.getByRole('row', { name: 'sft.jsonl 1 — —' })).toBeVisible();
  await expect(rows.getByRole('row', { name: 'dpo.jsonl 0 — 1 draft left unchanged' })).toBeVisible();
  await expect(rows.getByRole('row', { name: 'full.jsonl 1 — —' })).toBeVisible();
  await expect(page.getByText('None: every task read gave an answer.')).toBeVisible();

  // What the screen wrote verifies like any export.
  expect(readdirSync(out).sort()).toEqual(['README.md', 'dpo.jsonl', 'full.jsonl', 'kto.jsonl', 'manifest.dsse.json', 'sft.jsonl']);
  expect(existsSync(join(out, 'manifest.dsse.json'))).toBe(true);
  expect(casebookCli(['--help'])).toContain('export verify');

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/export.png', fullPage: true });
  // The page scrolls inside the shell: the summary gets a picture of its own.
  await page.locator('section', { has: summary }).screenshot({ path: 'test-results/screenshots/export-summary.png' });
});
