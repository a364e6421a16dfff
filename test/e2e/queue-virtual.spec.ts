import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCompareSource } from '../bench/data.ts';
import { ensureIdentity, expect, importFreshBundle, openBundle, test } from './fixtures.ts';

/** A 5,000-task bundle: the queue keeps a bounded number of rows in the DOM and reaches the end by keyboard. */
const BIG = 'bench.queue-5k';
const N = 5_000;

test.use({
  hostSetup: {
    prepare: async (dataDir: string) => {
      const src = mkdtempSync(join(tmpdir(), 'casebook-e2e-5k-'));
      try {
        await writeCompareSource(src, BIG, N);
        importFreshBundle(src, dataDir);
      } finally {
        rmSync(src, { recursive: true, force: true });
      }
    },
  },
});

test('a 5,000-task queue renders few rows and reaches the last task by keyboard', async ({ page, appUrl }) => {
  test.setTimeout(60_000);
  await page.goto(appUrl);
  await ensureIdentity(page);
  await openBundle(page, BIG);
  const list = page.getByRole('listbox', { name: /Tasks/ });
  const options = list.getByRole('option');
  await expect(options.first()).toContainText('Task 0');
  expect(await options.count()).toBeLessThan(100);

  await list.focus();
  await page.keyboard.press('j');
  await expect(list.getByRole('option', { selected: true })).toContainText('Task 1');

  await page.keyboard.press('End');
  const last = list.getByRole('option', { selected: true });
  await expect(last).toContainText(`Task ${N - 1}`);
  await expect(last).toHaveAttribute('aria-posinset', String(N));
  await expect(last).toBeInViewport();
  expect(await options.count()).toBeLessThan(100);
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/queue-5k-end.png' });

  // PageUp moves a screenful back, loading that page of the queue on demand.
  await page.keyboard.press('PageUp');
  await expect(list.getByRole('option', { selected: true })).toContainText(/Task 49\d\d/);
  await page.keyboard.press('Home');
  await expect(list.getByRole('option', { selected: true })).toContainText('Task 0');

  // Enter opens the selected task.
  await page.keyboard.press('End');
  await expect(list.getByRole('option', { selected: true })).toContainText(`Task ${N - 1}`);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Task ${N - 1}` })).toBeVisible();
});
