import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLINICAL, ensureIdentity, expect, openBundle, openTaskOfKind, startSyncServer, test, type SyncServer } from './fixtures.ts';

/** A real sync server on loopback, driven by the same CLI an admin uses. */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

let server: SyncServer;
let serverDir: string;
let serverUrl: string;

test.beforeAll(async () => {
  server = await startSyncServer();
  ({ url: serverUrl, dataDir: serverDir } = server);
});

test.afterAll(() => server?.stop());

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
