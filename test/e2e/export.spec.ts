import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { CLINICAL, casebookCli, expect, openBundle, test } from './fixtures.ts';

/** The Export screen does what `casebook export` does: a job with a progress bar, then what was included and why. */
const work = mkdtempSync(join(tmpdir(), 'casebook-export-e2e-'));
test.afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Besides the sample bundles (installed on the host's first start), the workstation is an admin's
 * holding three annotators' planted work on b.insight, received as signed batches, whose bundle
 * declares an upgraded current model (m v3): compare tasks c0–c44 have responses from m v2.
 */
test.use({
  hostSetup: {
    prepare: async (dataDir: string) => {
      execFileSync(process.execPath, ['--import', 'tsx', 'test/support/seed-insight.ts', dataDir, '--upgraded-model', '--admin', 'Ada Admin'], { stdio: 'inherit' });
    },
  },
});

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

interface DpoLine {
  metadata: { task: string; staleModel: boolean };
}

test('the export summary names the preference rows on responses from an older model version, and the current-model switch leaves them out', async ({ page, appUrl }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(appUrl);
  await expect(page.getByRole('heading', { name: 'Bundles', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Export' }).click();
  await expect(page.getByRole('heading', { name: 'Export training data', level: 1 })).toBeVisible();
  // Every annotator's answer, so each judged pair is a row of its own.
  await page.getByLabel('Which answer a task gives').selectOption('all');
  await page.getByLabel('Bundle').first().selectOption('b.insight');
  const out = join(work, 'older-model');
  await page.getByLabel('Export folder').fill(out);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const summary = page.getByRole('heading', { name: 'Exported' });
  await expect(summary).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(out)).toBeVisible();

  // What was written decides the figure: the DPO rows from tasks c0–c44 (m v2), counted from the file by task id.
  const lines = readFileSync(join(out, 'dpo.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DpoLine);
  const older = lines.filter((l) => /^b\.insight\/c([0-9]|[1-3][0-9]|4[0-4])$/.test(l.metadata.task));
  // Gold items are left out by default: 45 compare tasks remain, 29 of them among c0–c44, three annotators each.
  expect([older.length, lines.length]).toEqual([87, 135]);
  expect(lines.filter((l) => l.metadata.staleModel)).toEqual(older);

  const section = page.locator('section', { has: summary });
  // Only dpo.jsonl's rows judge model responses here (sft rows come from exemplars, full has no model filter).
  const warning = `${older.length} dpo rows are on responses from a model older than the bundle’s current one (b.insight: m v3). “Only the bundle’s current model” leaves them out.`;
  await expect(section.getByText(warning, { exact: true })).toBeVisible();
  await expect(section.getByRole('table').first().getByRole('row', { name: `dpo.jsonl ${lines.length} ${older.length} flagged 45 trajectory rows not requested` })).toBeVisible();
  mkdirSync('test-results/screenshots', { recursive: true });
  await section.screenshot({ path: 'test-results/screenshots/export-older-model.png' });

  // The switch the warning names: the same export without them, and no warning.
  await page.getByRole('checkbox', { name: /^Only the bundle's current model/ }).check();
  const current = join(work, 'current-model-only');
  await page.getByLabel('Export folder').fill(current);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByText(current)).toBeVisible({ timeout: 20_000 });
  await expect(section.getByRole('table').first().getByRole('row', { name: `dpo.jsonl ${lines.length - older.length} — 45 trajectory rows not requested` })).toBeVisible();
  await expect(section.getByText('older than the bundle’s current one')).toHaveCount(0);
});
