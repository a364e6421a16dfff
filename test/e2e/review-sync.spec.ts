import AxeBuilder from '@axe-core/playwright';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { ensureIdentity, expect, startSyncServer, test, type SyncServer } from './fixtures.ts';

/**
 * The reviewer's round trip against a real sync server on loopback: three annotators' work is
 * pulled in the UI, the queue is filtered by annotator, the unanimous task is accepted in bulk
 * after its preview, a disagreement is decided from the keyboard, the decisions are synced from
 * the Sync panel and the server holds them signed; then an annotator's late revision arrives and
 * the decision is stale, reopening on its re-merge proposal.
 */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
const seedScript = (args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'test/support/seed-review-sync.ts', ...args], { cwd: ROOT, stdio: 'inherit' });
const SHOTS = 'test-results/screenshots';

let server: SyncServer;
let serverDir = '';
let serverUrl = '';
let work = '';

test.beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'casebook-review-sync-'));
  server = await startSyncServer();
  ({ url: serverUrl, dataDir: serverDir } = server);
});

test.afterAll(() => {
  server?.stop();
  rmSync(work, { recursive: true, force: true });
});

test.use({
  hostSetup: {
    // Runs after beforeAll: the server is up, so the seed's workstations enrol and sync to it.
    prepare: async (dataDir: string) => {
      seedScript(['seed', dataDir, work, serverDir, serverUrl]);
    },
  },
});

async function axeClean(page: Page): Promise<void> {
  const r = await new AxeBuilder({ page }).analyze();
  expect(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** The server's accepted records, as `casebook server export` writes them. */
function serverRecords(): { kind: string; record: { taskId: string; method?: string; reviewerName?: string } }[] {
  const out = join(work, `export-${Date.now()}.jsonl`);
  const r = cli(['server', 'export', '--data', serverDir, '--out', out]);
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { kind: string; record: { taskId: string; method?: string; reviewerName?: string } });
}

test('a reviewer pulls from the server, filters by annotator, bulk-accepts the unanimous task, decides, syncs; a late revision makes a decision stale', async ({ page, appUrl }) => {
  mkdirSync(SHOTS, { recursive: true });
  const ids = JSON.parse(readFileSync(join(work, 'annotators.json'), 'utf8')) as Record<string, string>;
  await page.goto(appUrl);
  await ensureIdentity(page);
  const review = page.getByRole('link', { name: 'Review', exact: true });
  await review.click();
  await expect(page.getByRole('heading', { name: 'Review', level: 1 })).toBeVisible();

  // Pull from the real server: one batch from each annotator, each verified here.
  await page.getByRole('button', { name: 'Pull from the server' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'from 3 other devices' })).toContainText('3 new batches from 3 other devices.');
  const queue = page.getByRole('listbox', { name: 'Tasks by disagreement' });
  await expect(queue.getByRole('option')).toHaveCount(3);

  // The annotator filter: a labelled select, reached from the keyboard; Cy worked on one task.
  const filter = page.getByRole('combobox', { name: /^Annotator/ });
  await expect(filter.locator('option')).toHaveText(['Anyone', 'Ana Annotator', 'Ben Annotator', 'Cy Annotator']);
  await page.getByLabel('Criterion').focus();
  await page.keyboard.press('Tab');
  await expect(filter).toBeFocused();
  await filter.selectOption({ label: 'Cy Annotator' });
  await expect(filter).toHaveValue(ids['Cy Annotator']!);
  await expect(queue.getByRole('option')).toHaveCount(1);
  await expect(queue.getByRole('option')).toContainText('Look up labs');
  await page.screenshot({ path: `${SHOTS}/review-queue-annotator-filter.png` });
  await axeClean(page);
  await filter.selectOption({ label: 'Ben Annotator' });
  await expect(queue.getByRole('option')).toHaveCount(3);
  await filter.selectOption({ label: 'Anyone' });

  // Bulk accept: the preview names the unanimous exemplar and its answer; accepting decides it.
  const bulk = page.getByRole('region', { name: 'Unanimous tasks' });
  await bulk.getByRole('button', { name: 'Preview 1 to accept' }).click();
  const preview = bulk.getByRole('table', { name: 'Unanimous answers to accept' });
  await expect(preview.getByRole('row')).toHaveCount(2);
  await expect(preview).toContainText('Limitation period');
  await expect(preview).toContainText('corrected (24 characters)');
  await axeClean(page);
  await bulk.getByRole('button', { name: 'Accept 1 unanimous answer' }).click();
  await expect(bulk.getByRole('status')).toHaveText('Accepted 1 unanimous answer.');
  await expect(queue.getByRole('option')).toHaveCount(2);
  await expect(queue).not.toContainText('Limitation period');

  // Decide the compare task from the keyboard: Ana's answer, with names shown to pick her.
  await queue.focus();
  for (let i = 0; i < 2; i += 1) {
    if (((await queue.locator('[aria-selected="true"]').textContent()) ?? '').includes('Paracetamol')) break;
    await page.keyboard.press('j');
  }
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Paracetamol maximum dose', level: 1 })).toBeVisible();
  await page.keyboard.press('b');
  await expect(page.getByRole('checkbox', { name: /Hide names/ })).not.toBeChecked();
  // Columns follow the pseudonyms, which depend on the user ids: find Ana's by the named radio.
  const accept = page.getByRole('radio', { name: /^Accept (Ana|Ben) Annotator’s answer/ });
  await expect(accept).toBeVisible();
  await page.keyboard.press('1');
  if (((await accept.getAttribute('aria-label')) ?? (await page.locator('label.adj-mode').filter({ has: accept }).textContent()) ?? '').includes('Ben')) await page.keyboard.press('2');
  await expect(page.getByRole('radio', { name: 'Accept Ana Annotator’s answer' })).toBeVisible();
  await page.keyboard.press('a');
  await page.keyboard.press('r');
  await page.keyboard.type('Weight-based dosing is the standard under 50 kg.');
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('.decided-box')).toContainText('Weight-based dosing is the standard under 50 kg.');

  // Sync the decisions from the Sync panel; the server holds both, signed by this reviewer.
  await page.getByRole('link', { name: 'Sync' }).click();
  await expect(page.getByRole('heading', { name: 'Sync', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByText('Nothing — all your submitted work has reached the server')).toBeVisible({ timeout: 20_000 });
  // One batch per decision (each decision travels alone, so it reaches only its authors).
  await expect(page.getByText('2 batches', { exact: true })).toBeVisible();
  const held = serverRecords().filter((r) => r.kind === 'adjudication');
  expect(held.map((r) => [r.record.taskId, r.record.method, r.record.reviewerName]).sort()).toEqual([
    ['t-compare', 'accepted', 'Senior Reviewer'],
    ['t-exemplar', 'unanimous', 'Senior Reviewer'],
  ]);

  // Ana revises her compare answer after the decision and syncs it; the reviewer pulls it.
  seedScript(['revise', work]);
  await review.click();
  await page.getByRole('button', { name: 'Pull from the server' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'from 3 other devices' })).toContainText('1 new batch from 3 other devices.');
  const stale = queue.getByRole('option').filter({ hasText: 'Paracetamol' });
  await expect(stale).toContainText('Stale decision');
  await page.getByLabel('Decided').selectOption('stale');
  await expect(queue.getByRole('option')).toHaveCount(1);
  await stale.click();

  // Stale, and reopened on the re-merge proposal: decided fields kept, "Safe to follow" proposed.
  await expect(page.getByRole('heading', { name: 'Paracetamol maximum dose', level: 1 })).toBeVisible();
  await expect(page.getByRole('note')).toContainText('Stale decision.');
  await expect(page.getByRole('radio', { name: /Start from the re-merge proposal/ })).toBeChecked();
  const proposal = page.getByRole('group', { name: 'Re-merge proposal' });
  await expect(proposal).toContainText('Your draft starts here');
  await expect(proposal).toContainText('Response 1 · Safe to follow, Response 2 · Safe to follow (undecided before');
  await expect(proposal).toContainText(/Kept as decided.*Preference, Response 1 · Accuracy, Response 2 · Accuracy/s);
  await expect(proposal).toContainText(/New work disagrees on.*Preference/s);
  await expect(page.getByLabel(/Reason for the decision/)).toHaveValue('Weight-based dosing is the standard under 50 kg.');
  await expect(page.getByRole('region', { name: 'The re-merge proposal, editable' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/review-adjudicate-stale.png` });
  // The page scrolls inside its main area: bring the decision with its proposal into view.
  await page.getByRole('heading', { name: 'Your decision' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: `${SHOTS}/review-adjudicate-stale-remerge.png` });
  await axeClean(page);

  // Deciding from the proposal records revision 2, the reviewer's own answer (Ana's first
  // revision, which the decision accepted, is no longer her latest), with the scores filled in.
  await page.getByLabel(/Reason for the decision/).focus();
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('.decided-box')).toContainText('revision 2, own');
  await expect(page.getByRole('note')).toHaveCount(0);
  await expect(page.getByRole('radio', { name: /re-merge proposal/ })).toHaveCount(0);
});
