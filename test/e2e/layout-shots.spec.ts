import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { CLINICAL, ensureIdentity, expect, openBundle, test } from './fixtures.ts';

/** Screenshots of the three task kinds at the two sizes experts use, for a person to look at. */
const DIR = process.env.CASEBOOK_SHOTS ?? 'test-results/screenshots';

async function openTitled(page: Page, title: string): Promise<void> {
  await page.getByRole('option').filter({ hasText: title }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

for (const [w, h] of [
  [1440, 900],
  [1280, 720],
] as const) {
  test(`task screens at ${w}×${h}`, async ({ page, appUrl }) => {
    mkdirSync(DIR, { recursive: true });
    await page.setViewportSize({ width: w, height: h });
    await page.goto(appUrl);
    await ensureIdentity(page, 'Dr. Amara Okafor');
    await openBundle(page, CLINICAL);
    await openTitled(page, 'IV paracetamol dose');
    await page.keyboard.press('2');
    await page.screenshot({ path: `${DIR}/compare2-${w}.png` });
    await page.goBack();
    await openTitled(page, 'NHS 111 call');
    await page.screenshot({ path: `${DIR}/compare4-${w}.png` });
    await page.goBack();
    await openTitled(page, 'starting weekly methotrexate');
    await expect(page.locator('.diff-editor[data-ready]')).toBeVisible();
    await page.screenshot({ path: `${DIR}/exemplar-${w}.png` });
    await page.goBack();
    await openTitled(page, 'apixaban dose after AKI');
    await page.screenshot({ path: `${DIR}/trajectory-${w}.png` });
  });
}

test('full compare page (scratch)', async ({ page, appUrl }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(appUrl);
  await ensureIdentity(page, 'Dr. Amara Okafor');
  await openBundle(page, CLINICAL);
  await openTitled(page, 'IV paracetamol dose');
  await page.locator('.response').first().screenshot({ path: `${DIR}/response-a.png` });
});
