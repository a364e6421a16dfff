import { _electron as electron, type ElectronApplication } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { METHODS } from '../../shared/contract/api.ts';
import { CLINICAL, ensureIdentity, expect, openBundle, openTaskOfKind, test } from './fixtures.ts';

/**
 * The same flow as the browser-host tests, in the real Electron shell, plus the checks only
 * Electron can answer (bridge surface, no Node in the renderer, new windows denied).
 * Needs Electron's binary and an Electron build of the store's SQLite driver (both made by `npm start`);
 * where they cannot be downloaded the test is skipped and says why.
 */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const require = createRequire(import.meta.url);

function electronBinary(): string | null {
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(bin) ? bin : null;
}

function nativeBinding(): string | null {
  const version = (require('electron/package.json') as { version: string }).version;
  const p = join(ROOT, 'out', 'native', `electron-${version}`, 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node');
  return existsSync(p) ? p : null;
}

const bin = electronBinary();
const binding = nativeBinding();
const built = existsSync(join(ROOT, 'out', 'main', 'index.js')) && existsSync(join(ROOT, 'out', 'preload', 'index.cjs'));

test.skip(!bin, 'No Electron binary on this machine (it could not be downloaded); run `npm start` once where it can be, then rerun.');
test.skip(!binding, 'No Electron build of the SQLite driver, better-sqlite3-multiple-ciphers (made by `npm start`); run `npm start` once, then rerun.');
test.skip(!built, 'The Electron app is not built; run `npm run build:electron` first.');

let app: ElectronApplication;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'casebook-electron-'));
  app = await electron.launch({
    executablePath: bin!,
    args: [ROOT],
    env: { ...process.env, CASEBOOK_DATA_DIR: dataDir, CASEBOOK_NATIVE_BINDING: binding! },
  });
});

test.afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the desktop app exposes only the contract to a Node-free renderer and denies new windows', async () => {
  const page = await app.firstWindow();
  expect(page.url()).toMatch(/^app:\/\/casebook\//);
  const surface = await page.evaluate(() => ({
    bridge: Object.keys((window as unknown as { casebook: object }).casebook).sort(),
    node: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
  }));
  expect(surface.bridge).toEqual([...METHODS, 'onEvent'].sort());
  expect(surface.node).toBe('undefined');
  expect(surface.process).toBe('undefined');
  const opened = await page.evaluate(() => window.open('https://example.com') === null);
  expect(opened).toBe(true);
  expect(app.windows()).toHaveLength(1);
});

test('a compare task submitted in the desktop app is still submitted after a reload', async () => {
  const page = await app.firstWindow();
  await ensureIdentity(page, 'Dr. Desktop');
  await openBundle(page, CLINICAL);
  await openTaskOfKind(page, 'Compare', 'To do');
  await page.keyboard.press('1');
  await page.keyboard.press('Shift+2');
  const needed = page.locator('.needed li').filter({ hasText: /^Score/ });
  while ((await needed.count()) > 0) {
    await page.keyboard.press('s');
    await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('r');
  await page.keyboard.type('Response A respects the weight-based limit.');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText(/Submitted/).first()).toBeVisible();
  await page.reload();
  await expect(page.getByText(/Submitted/).first()).toBeVisible();
});
