import { test as base, expect, type Page } from '@playwright/test';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
/** Every host and CLI run here uses an encrypted store, as a real workstation does. */
export const E2E_PASSPHRASE = 'end-to-end test passphrase';
const HOST_ENV = { ...process.env, NO_COLOR: '1', CASEBOOK_PASSPHRASE: E2E_PASSPHRASE };

interface Host {
  file: string;
  url: string;
  proc: ChildProcess;
  dataDir: string;
}

let current: Host | null = null;

/**
 * Prepares a fresh data directory before the host starts (e.g. imports extra bundles). An
 * object, not a bare function: Playwright would take a function-valued option for a fixture.
 */
export interface HostSetup {
  prepare: (dataDir: string) => Promise<void>;
}

async function startHost(file: string, setup: HostSetup | null): Promise<Host> {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) {
    throw new Error('The renderer is not built: run `npx vite build` (or `npm run build`) before the end-to-end tests.');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'casebook-e2e-'));
  if (setup) await setup.prepare(dataDir);
  // CASEBOOK_E2E_HOST_SCRIPT swaps in another entry point taking the same arguments (debugging only).
  const script = process.env.CASEBOOK_E2E_HOST_SCRIPT ?? 'electron/cli/main.ts';
  const proc = spawn(process.execPath, ['--import', 'tsx', script, 'web', '--data', dataDir, '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: HOST_ENV,
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

export const test = base.extend<{ appUrl: string; hostSetup: HostSetup | null }, { hostReaper: void }>({
  // A file may set this with test.use({ hostSetup }) to prepare its host's data directory.
  hostSetup: [null, { option: true }],
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
  appUrl: async ({ hostSetup }, use, testInfo) => {
    if (current && current.file !== testInfo.file) {
      await stopHost(current);
      current = null;
    }
    if (!current) current = await startHost(testInfo.file, hostSetup);
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

/** Runs the casebook CLI (as the host does: node with tsx) and returns its stdout. */
export function casebookCli(args: readonly string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: HOST_ENV });
}

/**
 * Builds a bundle from a source folder with a fresh signing key and imports it into `dataDir`
 * through the CLI, trusting only that key: for tests that need content of their own.
 */
export function importFreshBundle(sourceDir: string, dataDir: string): void {
  const work = mkdtempSync(join(tmpdir(), 'casebook-e2e-bundle-'));
  try {
    const pub = casebookCli(['keys', 'new', '--out', join(work, 'org.private.jwk')]);
    writeFileSync(join(work, 'org.public.jwk'), pub);
    casebookCli(['bundle', 'build', sourceDir, '--key', join(work, 'org.private.jwk'), '--out', join(work, 'b.cbundle')]);
    casebookCli(['bundle', 'import', join(work, 'b.cbundle'), '--data', dataDir, '--trust', join(work, 'org.public.jwk')]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Calls the browser host's core as the page does (POST /api/<method> with the run's token), so a
 * test can read what was really saved rather than what the page shows.
 */
export async function coreCall<T = unknown>(appUrl: string, method: string, request: unknown): Promise<T> {
  const [base = '', hash = ''] = appUrl.split('#');
  const token = new URLSearchParams(hash).get('token') ?? '';
  const res = await fetch(`${base}api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(request),
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method} failed: ${body.error?.message ?? res.status}`);
  return body.result as T;
}

/** The saved content of this annotator's draft (or latest revision) of a task, or null. */
export async function savedContent(appUrl: string, bundleId: string, taskId: string): Promise<Record<string, unknown> | null> {
  const view = await coreCall<{ annotation: { content: Record<string, unknown> } | null }>(appUrl, 'tasks.open', { bundleId, taskId });
  return view.annotation?.content ?? null;
}

/** Opens a task by its address (the router's hash), waiting for its title. */
export async function gotoTask(page: Page, bundleId: string, taskId: string): Promise<void> {
  await page.evaluate((h) => (window.location.hash = h), `#/b/${encodeURIComponent(bundleId)}/t/${encodeURIComponent(taskId)}`);
  // The previous task's title may still be up for a moment: wait for this task's screen.
  await expect(page.locator(`.task-page[data-task-id="${taskId}"] h1.task-title`)).toBeVisible();
  await expect(page.locator('.task-page')).not.toContainText('Opening task…');
}

/** A real sync server on loopback, made and started by the same CLI an admin uses. */
export interface SyncServer {
  url: string;
  dataDir: string;
  stop: () => void;
}

/** `casebook server init` on a fresh data directory, then `casebook server --port 0`; resolves once it listens. */
export async function startSyncServer(): Promise<SyncServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'casebook-server-'));
  const init = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'server', 'init', '--data', dataDir], { cwd: ROOT, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`server init failed: ${init.stderr}`);
  const proc = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'server', '--data', dataDir, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`server did not start: ${out}`)), 60_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    // The CLI announces the address on stderr (stdout carries the structured log).
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
  });
  return {
    url,
    dataDir,
    stop: () => {
      proc.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
