import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ensureIdentity, expect, test } from './fixtures.ts';

/** Where the seed wrote the annotators' batch files (next to the host's data directory). */
let batches = '';

test.use({
  hostSetup: {
    prepare: async (dataDir: string) => {
      batches = `${dataDir}-batches`;
      execFileSync(process.execPath, ['--import', 'tsx', 'test/support/seed-review.ts', dataDir, batches], { stdio: 'inherit' });
    },
  },
});

const SHOTS = 'test-results/screenshots';

async function axeClean(page: Page): Promise<void> {
  const r = await new AxeBuilder({ page }).analyze();
  expect(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('a reviewer imports two annotators’ batch files in the UI; a tampered file is refused, named, and nothing from it is kept', async ({ page, appUrl }) => {
  mkdirSync(SHOTS, { recursive: true });
  await page.goto(appUrl);
  await ensureIdentity(page);
  await page.getByRole('link', { name: 'Review', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Review', level: 1 })).toBeVisible();
  await axeClean(page);

  const files = readFileSync(join(batches, 'annotators.json'), 'utf8');
  const ids = JSON.parse(files) as Record<string, string>;
  const input = page.getByLabel('Batch files to import');

  // The tampered copy alone: refused with its name and the reason.
  await input.setInputFiles(join(batches, 'tampered.cbatch'));
  const refusal = page.getByRole('alert').filter({ hasText: 'Refused, and nothing from it kept' });
  await expect(refusal).toContainText('tampered.cbatch');
  await expect(refusal).toContainText(/signature|verif|hash/i);
  await expect(page.getByRole('status').filter({ hasText: 'imported' })).toContainText('0 of 1 file imported, 1 refused.');
  await page.screenshot({ path: `${SHOTS}/review-import-refused.png` });

  // Nothing of it was kept: Ana's work is not on this workstation yet.
  await page.goto(`${appUrl.split('#')[0]}#/b/test.minimal/t/t-compare/by/${ids['Ana Annotator']}`);
  await expect(page.getByText(/no submitted work on this task here/)).toBeVisible();

  // Both annotators' files: verified and imported.
  await page.getByRole('link', { name: 'Review', exact: true }).click();
  const names = readdirBatches(batches);
  await page.getByLabel('Batch files to import').setInputFiles(names.map((n) => join(batches, n)));
  await expect(page.getByRole('status').filter({ hasText: 'imported' })).toContainText(`${names.length} of ${names.length} files imported.`);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/review-import-done.png` });
  await axeClean(page);

  // Importing them again keeps nothing twice.
  await page.getByLabel('Batch files to import').setInputFiles(names.map((n) => join(batches, n)));
  await expect(page.getByRole('status').filter({ hasText: 'imported' })).toContainText(`0 of ${names.length} files imported, ${names.length} already here.`);

  // Ana's compare answer, in the real compare view, read-only; the tampered text never arrived.
  await page.goto(`${appUrl.split('#')[0]}#/b/test.minimal/t/t-compare/by/${ids['Ana Annotator']}`);
  await expect(page.getByText('Ana Annotator’s work, revision 1')).toBeVisible();
  await expect(page.getByText('Weight-based dosing is required under 50 kg.')).toBeVisible();
  await expect(page.getByText('Weight-free')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Submit/ })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/review-work-compare.png` });
  await axeClean(page);
  // Ben's trajectory too.
  await page.goto(`${appUrl.split('#')[0]}#/b/test.minimal/t/t-trajectory/by/${ids['Ben Annotator']}`);
  await expect(page.getByText('Ben Annotator’s work, revision 1')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/review-work-trajectory.png` });
  await axeClean(page);

  // The disagreement queue lists the three tasks; each is decided from the keyboard, names hidden.
  await page.getByRole('link', { name: 'Review', exact: true }).click();
  const queue = page.getByRole('listbox', { name: 'Tasks by disagreement' });
  await expect(queue.getByRole('option')).toHaveCount(3);
  await page.screenshot({ path: `${SHOTS}/review-queue.png` });
  await axeClean(page);

  const decide = async (title: string, pick: string, reason: string, shot: string): Promise<void> => {
    await page.getByRole('link', { name: 'Review', exact: true }).click();
    await queue.focus();
    for (let i = 0; i < 3; i += 1) {
      if (((await queue.locator('[aria-selected="true"]').textContent()) ?? '').includes(title)) break;
      await page.keyboard.press('j');
    }
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    // Blind: pseudonyms only.
    await expect(page.getByRole('checkbox', { name: /Hide names/ })).toBeChecked();
    await expect(page.getByText('Annotator A', { exact: false }).first()).toBeVisible();
    await expect(page.locator('.adj-work')).not.toContainText('Ana Annotator');
    await expect(page.locator('.adj-work')).not.toContainText('Ben Annotator');
    await page.screenshot({ path: `${SHOTS}/${shot}` });
    await axeClean(page);
    await page.keyboard.press(pick);
    await page.keyboard.press('a');
    await page.keyboard.press('r');
    await expect(page.getByLabel(/Reason for the decision/)).toBeFocused();
    await page.keyboard.type(reason);
    await page.keyboard.press('Control+Enter');
    // Decided: the names are shown again.
    await expect(page.locator('.decided-box')).toContainText(reason);
    await expect(page.getByRole('checkbox', { name: /Hide names/ })).not.toBeChecked();
    await expect(page.locator('.adj-work')).toContainText('Ana Annotator');
  };
  await decide('Paracetamol maximum dose', '1', 'Weight-based dosing is the standard under 50 kg.', 'review-adjudicate-compare.png');
  await expect(page.locator('.decided-box')).toContainText(/prefers r[12]/);

  // Exemplar: the real exemplar view opens editable on an annotator's correction, then one is accepted.
  await page.getByRole('link', { name: 'Review', exact: true }).click();
  await queue.focus();
  await expect(queue.getByRole('option')).toHaveCount(2);
  await decideExemplar(page, queue);
  await decide('Look up labs', '1', 'Step 2 already called the wrong patient.', 'review-adjudicate-trajectory.png');
  // All three decided: none left to decide; the Decided filter lists them; nothing is unanimous here.
  await page.getByRole('link', { name: 'Review', exact: true }).click();
  await expect(page.getByText('Nothing to decide here.')).toBeVisible();
  await page.getByLabel('Decided').selectOption('yes');
  await expect(queue.getByRole('option')).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'None to accept' })).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/review-queue-decided.png` });
  await axeClean(page);
});

async function decideExemplar(page: Page, queue: ReturnType<Page['getByRole']>): Promise<void> {
  for (let i = 0; i < 2; i += 1) {
    if (((await queue.locator('[aria-selected="true"]').textContent()) ?? '').includes('Limitation period')) break;
    await page.keyboard.press('j');
  }
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Limitation period', level: 1 })).toBeVisible();
  await expect(page.locator('.work-diff .editor.modified .view-lines')).toContainText(/Twelve/);
  await page.screenshot({ path: `${SHOTS}/review-adjudicate-exemplar.png` });
  await axeClean(page);
  await page.keyboard.press('2');
  await page.keyboard.press('e');
  await expect(page.locator('.adj-editor .editor.modified .view-lines')).toContainText(/Twelve.years/);
  await page.screenshot({ path: `${SHOTS}/review-adjudicate-exemplar-edit.png` });
  await page.getByRole('radio', { name: /Accept/ }).check();
  await page.getByLabel(/Reason for the decision/).focus();
  await page.keyboard.type('A deed has twelve years; the shorter wording is enough.');
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('.decided-box')).toContainText('A deed has twelve years');
}

function readdirBatches(dir: string): string[] {
  // The two annotators' own files, not the tampered copy.
  return readdirSync(dir)
    .filter((f) => (f.startsWith('ana-') || f.startsWith('ben-')) && f.endsWith('.cbatch'))
    .sort();
}
