import AxeBuilder from '@axe-core/playwright';
import { CLINICAL, E2E_PASSPHRASE, ensureIdentity, expect, openBundle, openTaskOfKind, test } from './fixtures.ts';

test('idle for the configured time, the workstation locks; only its passphrase unlocks it, and the draft survives', async ({ page, appUrl }, testInfo) => {
  // The page's clock, so "15 idle minutes" take a moment; the core's lock is real.
  await page.clock.install();
  await page.goto(appUrl);
  await ensureIdentity(page);
  await openBundle(page, CLINICAL);
  await openTaskOfKind(page, 'Compare');
  const rationale = page.getByLabel('Rationale');
  await rationale.fill('Written just before stepping away');

  await page.clock.fastForward('16:00');
  const dialog = page.getByRole('dialog', { name: 'Casebook is locked' });
  await expect(dialog).toBeVisible();
  // The work behind it is hidden, not just covered.
  await expect(page.getByRole('heading', { name: 'Response A' })).toBeHidden();
  await expect(dialog.getByLabel('Passphrase')).toBeFocused();
  await page.screenshot({ path: testInfo.outputPath('lock-screen.png') });
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // Shortcuts do not reach the hidden app while the form has the keyboard.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: /Keyboard shortcuts/i })).toHaveCount(0);

  await dialog.getByLabel('Passphrase').fill('not the passphrase');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText(/passphrase is wrong/);
  await expect(dialog).toBeVisible();

  await dialog.getByLabel('Passphrase').fill(E2E_PASSPHRASE);
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Response A' })).toBeVisible();
  await expect(rationale).toHaveValue('Written just before stepping away');
  // Saved before it locked: still there after a reload.
  await page.reload();
  await expect(page.getByLabel('Rationale')).toHaveValue('Written just before stepping away');
});
