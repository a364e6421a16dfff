import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * One browser host per test file: the real core on a fresh temporary data directory (which
 * imports the two sample bundles on first start), serving the built renderer on 127.0.0.1.
 */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const URL_LINE = /Casebook is running at (http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/;
const START_TIMEOUT_MS = 90_000;

interface Host {
  file: string;
  url: string;
  proc: ChildProcess;
  dataDir: string;
}

let current: Host | null = null;

async function startHost(file: string): Promise<Host> {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) {
    throw new Error('The renderer is not built: run `npx vite build` (or `npm run build`) before the end-to-end tests.');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'casebook-e2e-'));
  // CASEBOOK_E2E_HOST_SCRIPT swaps in another entry point taking the same arguments (debugging only).
  const script = process.env.CASEBOOK_E2E_HOST_SCRIPT ?? 'electron/cli/main.ts';
  const proc = spawn(process.execPath, ['--import', 'tsx', script, 'web', '--data', dataDir, '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stderr = '';
  proc.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const url = await new Promise<string>((ok, fail) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error(`host did not print its URL within ${START_TIMEOUT_MS} ms\n${stderr}`)), START_TIMEOUT_MS);
    proc.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = URL_LINE.exec(stdout);
      if (m?.[1]) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`host exited with code ${code} before it was ready\n${stderr}`));
    });
  });
  return { file, url, proc, dataDir };
}

async function stopHost(host: Host): Promise<void> {
  const { proc } = host;
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise<void>((ok) => proc.once('exit', () => ok()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(host.dataDir, { recursive: true, force: true });
}

export const test = base.extend<{ appUrl: string }, { hostReaper: void }>({
  // Stops the last file's host when the worker ends.
  hostReaper: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      await use();
      if (current) await stopHost(current);
      current = null;
    },
    { scope: 'worker', auto: true },
  ],
  // eslint-disable-next-line no-empty-pattern
  appUrl: async ({}, use, testInfo) => {
    if (current && current.file !== testInfo.file) {
      await stopHost(current);
      current = null;
    }
    if (!current) current = await startHost(testInfo.file);
    await use(current.url);
  },
});

export { expect };

export const CLINICAL = 'sample.clinical-triage';
export const LEGAL = 'sample.contract-review';

/** Completes first-run setup if this data directory has no identity yet. */
export async function ensureIdentity(page: Page, name = 'Dr. Robin Vale'): Promise<void> {
  const setup = page.getByRole('heading', { name: 'Set up this workstation' });
  const bundles = page.getByRole('heading', { name: 'Bundles', level: 1 });
  await expect(setup.or(bundles)).toBeVisible();
  if (await setup.isVisible()) {
    await page.getByLabel('Display name').fill(name);
    await page.getByRole('button', { name: 'Create identity' }).click();
  }
  await expect(bundles).toBeVisible();
}

/** Opens a bundle's queue by clicking its card. */
export async function openBundle(page: Page, bundleId: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(bundleId.replace(/\./g, '\\.')) }).click();
  await expect(page.getByRole('listbox', { name: /Tasks/ })).toBeVisible();
}

/** Opens the first task of a kind (optionally with a given status) from the open queue. */
export async function openTaskOfKind(page: Page, kind: 'Compare' | 'Exemplar' | 'Trajectory', status?: 'To do' | 'Draft' | 'Submitted'): Promise<string> {
  let rows = page.getByRole('option').filter({ hasText: kind });
  if (status) rows = rows.filter({ hasText: status });
  const row = rows.first();
  await expect(row).toBeVisible();
  const title = (await row.locator('.queue-title').textContent()) ?? '';
  await row.click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  return title;
}
