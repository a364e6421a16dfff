import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLINICAL, ensureIdentity, expect, openBundle, openTaskOfKind, test } from './fixtures.ts';

/** A real sync server on loopback, driven by the same CLI an admin uses. */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

let server: ChildProcess;
let serverDir: string;
let serverUrl: string;

test.beforeAll(async () => {
  serverDir = mkdtempSync(join(tmpdir(), 'casebook-server-'));
  expect(cli(['server', 'init', '--data', serverDir]).status).toBe(0);
  server = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'server', '--data', serverDir, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  serverUrl = await new Promise<string>((ok, fail) => {
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
    server.stdout?.on('data', onData);
    server.stderr?.on('data', onData);
  });
});

test.afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(serverDir, { recursive: true, force: true });
});

test('submitted work reaches the server after enrolling from the sync panel', async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await ensureIdentity(page, 'Dr. Sync Test');
  // The admin issues the token for this person (their user id) and role.
  const apiToken = new URL(appUrl).hash.replace('#token=', '');
  const identity = await page.request.post(new URL('api/identity.get', appUrl).toString(), { headers: { authorization: `Bearer ${apiToken}` }, data: {} });
  const { userId } = ((await identity.json()) as { result: { userId: string } }).result;
  const token = cli(['server', 'token', '--data', serverDir, '--user', userId, '--name', 'Dr. Sync Test', '--role', 'annotator']).stdout.trim().split('\n')[0]!;
  expect(token).toMatch(/^cbenrol_/);
  await openBundle(page, CLINICAL);
  await openTaskOfKind(page, 'Compare', 'To do');
  await page.keyboard.press('1');
  await page.keyboard.press('Shift+2');
  const needed = page.locator('.needed li').filter({ hasText: /^Score/ });
  for (let i = 0; i < 12 && (await needed.count()) > 0; i += 1) {
    await page.keyboard.press('s');
    await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('r');
  await page.keyboard.type('A keeps to the weight-based maximum.');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('heading', { name: 'Submitted (revision 1)' })).toBeVisible();

  await page.getByRole('link', { name: 'Sync' }).click();
  await expect(page.getByRole('heading', { name: 'Sync', level: 1 })).toBeVisible();
  await page.getByLabel('Server address').fill(serverUrl);
  await page.getByLabel('Enrolment token').fill(token);
  await page.getByRole('button', { name: 'Enrol this workstation' }).click();
  await expect(page.getByText(serverUrl)).toBeVisible();

  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByText('Nothing — all your submitted work has reached the server')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('1 batch', { exact: true })).toBeVisible();
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/sync-panel.png' });

  // The token was one-time: enrolling another device with it is refused by the server.
  const progress = cli(['server', 'progress', '--data', serverDir, '--json']);
  expect(progress.status).toBe(0);
  expect(progress.stdout).toContain('Dr. Sync Test');
});
