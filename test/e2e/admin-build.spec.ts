import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { casebookCli, expect, test } from './fixtures.ts';

/** The admin screen does what `casebook bundle build` does, and its bundle imports elsewhere. */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const MINIMAL = join(ROOT, 'test/fixtures/bundle-src/minimal');

const work = mkdtempSync(join(tmpdir(), 'casebook-admin-'));
const key = join(work, 'org.private.jwk');
const pub = join(work, 'org.public.jwk');

// The org key is made before the host starts and trusted by its workstation, as an admin's own would be.
test.use({
  hostSetup: {
    prepare: async (dataDir: string) => {
      writeFileSync(pub, casebookCli(['keys', 'new', '--out', key]));
      casebookCli(['trust', 'add', pub, '--data', dataDir, '--label', 'Test org']);
    },
  },
});

test.afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

async function setUpAsAdmin(page: Page, appUrl: string): Promise<void> {
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
  await page.getByRole('link', { name: 'Build bundle' }).click();
  await expect(page.getByRole('heading', { name: 'Build bundle', level: 1 })).toBeVisible();
}

test('an admin validates, previews and signs a bundle that another workstation imports', async ({ page, appUrl }) => {
  const out = join(work, 'minimal.cbundle');

  await setUpAsAdmin(page, appUrl);
  await page.getByRole('textbox', { name: 'Source folder' }).fill(MINIMAL);
  await page.getByRole('button', { name: 'Validate' }).click();
  await expect(page.getByRole('heading', { name: '2. Ready to sign' })).toBeVisible();
  await expect(page.getByText('test.minimal')).toBeVisible();
  await expect(page.getByText('Minimal test bundle')).toBeVisible();

  // The preview lists the tasks as annotators see them; one opens to show its content.
  const preview = page.locator('.admin-preview-item');
  await expect(preview).toHaveCount(3);
  await preview.first().locator('summary').click();
  await expect(preview.first().getByText('Max paracetamol dose for a 45 kg adult?')).toBeVisible();
  // Blinded: model names are not shown.
  await expect(preview.first().getByText('m-a')).toHaveCount(0);

  await page.getByLabel('Signing key file').fill(key);
  await page.getByLabel('Save bundle as').fill(out);
  await page.getByRole('button', { name: 'Sign and save' }).click();
  await expect(page.getByRole('heading', { name: 'Bundle written' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(out)).toBeVisible();
  expect(existsSync(out)).toBe(true);
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/admin-build.png', fullPage: true });

  // A second workstation imports the file, trusting the org's public key.
  const second = mkdtempSync(join(tmpdir(), 'casebook-admin-ws2-'));
  try {
    casebookCli(['bundle', 'import', out, '--data', second, '--trust', pub]);
    const status = casebookCli(['status', '--data', second, '--json']);
    expect(status).toContain('test.minimal');
  } finally {
    rmSync(second, { recursive: true, force: true });
  }

  // And this workstation can import it too.
  await page.getByRole('button', { name: 'Import into this workstation' }).click();
  await expect(page.getByText(/Imported: test\.minimal version 1, 3 tasks\./)).toBeVisible({ timeout: 20_000 });
});

test('a broken tasks.jsonl line is reported with file and line, and nothing is written', async ({ page, appUrl }) => {
  const src = join(work, 'broken-src');
  cpSync(MINIMAL, src, { recursive: true });
  appendFileSync(join(src, 'tasks.jsonl'), '{"id": "t-broken", "kind": "compare", \n');
  const before = readdirSync(work).sort();
  expect(before).toContain('broken-src');

  await setUpAsAdmin(page, appUrl);
  await page.getByRole('textbox', { name: 'Source folder' }).fill(src);
  await page.getByRole('button', { name: 'Validate' }).click();
  await expect(page.getByRole('heading', { name: /problems? found/ })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'tasks.jsonl' });
  await expect(row.first()).toBeVisible();
  await expect(row.first().getByRole('cell').nth(1)).toHaveText('4');
  // No way to sign a source with problems, and nothing new appeared on disk.
  await expect(page.getByRole('button', { name: 'Sign and save' })).toHaveCount(0);
  expect(readdirSync(work).sort()).toEqual(before);
  await page.screenshot({ path: 'test-results/screenshots/admin-problems.png', fullPage: true });

  // An empty required field is named in the alert.
  await page.getByRole('textbox', { name: 'Source folder' }).fill('');
  await page.getByRole('button', { name: 'Validate' }).click();
  await expect(page.getByRole('alert')).toContainText('Source folder');
});

test('an admin who signs with a key this workstation does not trust is offered to trust it there, with the CLI equivalent', async ({ page, appUrl }) => {
  const src = join(work, 'own-src');
  cpSync(MINIMAL, src, { recursive: true });
  writeFileSync(join(src, 'bundle.json'), JSON.stringify({ format: 'casebook.bundle/1', id: 'own.minimal', version: 1, title: 'Signed with my own key' }));
  const ownKey = join(work, 'own.private.jwk');
  casebookCli(['keys', 'new', '--out', ownKey]);
  const out = join(work, 'own.cbundle');

  await setUpAsAdmin(page, appUrl);
  await page.getByRole('textbox', { name: 'Source folder' }).fill(src);
  await page.getByRole('button', { name: 'Validate' }).click();
  await expect(page.getByRole('heading', { name: '2. Ready to sign' })).toBeVisible();
  await page.getByLabel('Signing key file').fill(ownKey);
  await page.getByLabel('Save bundle as').fill(out);
  await page.getByRole('button', { name: 'Sign and save' }).click();
  await expect(page.getByRole('heading', { name: 'Bundle written' })).toBeVisible({ timeout: 20_000 });

  await page.getByRole('button', { name: 'Import into this workstation' }).click();
  const offer = page.getByRole('region', { name: 'This workstation does not trust the key that signed this bundle' });
  await expect(offer).toBeVisible({ timeout: 20_000 });
  // The fingerprint as people compare it: ten groups of four hex digits.
  await expect(offer.locator('.trust-fingerprint')).toHaveText(/^([0-9a-f]{4} ){9}[0-9a-f]{4}$/);
  await expect(offer.getByLabel('Bundle id prefix')).toHaveValue('own.');
  await expect(offer.getByLabel('Label')).toHaveValue('own signing key');
  await expect(offer.locator('.trust-cli')).toContainText(`npm run -s casebook -- trust add ${ownKey} --data `);
  await expect(offer.locator('.trust-cli')).toContainText("--label 'own signing key' --prefix own.");
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/admin-trust-offer.png', fullPage: true });

  // A prefix that does not cover the bundle would leave it refused: said before anything is trusted.
  await offer.getByLabel('Bundle id prefix').fill('acme.');
  await offer.getByRole('button', { name: 'Trust this key and import' }).click();
  await expect(offer.getByRole('alert')).toContainText('must be the start of this bundle’s id');
  await offer.getByLabel('Bundle id prefix').fill('own.');
  await offer.getByRole('button', { name: 'Trust this key and import' }).click();
  await expect(page.getByText(/Imported: own\.minimal version 1, 3 tasks\./)).toBeVisible({ timeout: 20_000 });
  await expect(offer).toHaveCount(0);
});
