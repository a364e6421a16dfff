import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { CLINICAL, expect, openBundle, openTaskOfKind, test } from './fixtures.ts';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

test('no serious or critical axe violations on the compare view (and the screens leading to it)', async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await expect(page.getByRole('heading', { name: 'Set up this workstation' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // The refusal of an empty name: the alert and the field say what to do, in words, with no
  // method name or field id; and that state is accessible too.
  await page.getByRole('radio', { name: 'Admin' }).check();
  await page.getByRole('button', { name: 'Create identity' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText('Could not create the identity. Enter your name.');
  await expect(page.locator('#setup-name-error')).toHaveText('Enter your name');
  expect(await page.locator('main').innerText()).not.toMatch(/identity\.setup|displayName|Invalid request/);
  expect(await seriousViolations(page)).toEqual([]);

  // An admin sees every screen, so the next test can visit them all.
  await page.getByLabel('Display name').fill('Dr. Amara Okafor');
  await page.getByRole('button', { name: 'Create identity' }).click();
  await expect(page.getByRole('heading', { name: 'Bundles', level: 1 })).toBeVisible();
  // The avatar's initials skip the honorific.
  await expect(page.locator('.avatar')).toHaveText('AO');
  expect(await seriousViolations(page)).toEqual([]);

  await openBundle(page, CLINICAL);
  expect(await seriousViolations(page)).toEqual([]);

  await openTaskOfKind(page, 'Compare');
  await expect(page.getByRole('heading', { name: 'Response A' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // Rubric scores are radio groups: Tab moves between criteria, arrow keys choose.
  const groupOfFocus = (): Promise<string | null> =>
    page.evaluate(() => document.activeElement?.closest('[role="radiogroup"]')?.getAttribute('aria-label') ?? null);
  await page.keyboard.press('s');
  // The app moves focus to the scores in a timeout after the key: wait for it, not race it.
  await expect.poll(groupOfFocus).toMatch(/Response A/);
  const first = await groupOfFocus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radiogroup', { name: first ?? '' }).getByRole('radio', { checked: true })).toHaveCount(1);
  await page.keyboard.press('Tab');
  const second = await groupOfFocus();
  expect(second).not.toBeNull();
  expect(second).not.toEqual(first);

  // The refusal state too: alert and invalid fields.
  await page.getByRole('button', { name: /^Submit/ }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

/** Goes to a screen by its address, as a bookmark or the address bar would. */
async function go(page: Page, hash: string, heading: string | RegExp): Promise<void> {
  await page.evaluate((h) => (window.location.hash = h), hash);
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

test('every screen is free of serious and critical axe violations, each with a main landmark and an h1', async ({ page, appUrl }) => {
  const checked: string[] = [];
  const check = async (screen: string): Promise<void> => {
    expect(await page.getByRole('main').count(), `${screen}: one main landmark`).toBe(1);
    expect(await page.getByRole('heading', { level: 1 }).count(), `${screen}: one h1`).toBe(1);
    expect(await seriousViolations(page), screen).toEqual([]);
    checked.push(screen);
  };
  await page.goto(appUrl);
  await expect(page.getByRole('heading', { name: 'Bundles', level: 1 })).toBeVisible();
  await check('bundles');

  await openBundle(page, CLINICAL);
  for (const tab of ['All', 'To do', 'Draft', 'Submitted', 'Escalated']) {
    await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
    await expect(page.getByRole('tab', { name: new RegExp(`^${tab}`) })).toHaveAttribute('aria-selected', 'true');
    await check(`queue: ${tab}`);
  }
  await page.getByRole('tab', { name: /^All/ }).click();

  await page.getByRole('option').filter({ hasText: 'NHS 111 call' }).click();
  await expect(page.getByRole('heading', { name: 'Response D' })).toBeVisible();
  await check('compare, four responses, grid');
  await page.getByRole('button', { name: 'Expand', exact: true }).click();
  await check('compare, context expanded');
  await page.getByRole('button', { name: 'Collapse to a line' }).click();
  await page.getByRole('button', { name: 'Tabs', exact: true }).click();
  await expect(page.getByRole('tab', { name: /Response A/ })).toBeVisible();
  await check('compare, four responses, tabs');
  await page.getByRole('button', { name: 'Grid', exact: true }).click();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await check('shortcut overlay');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);

  await page.getByRole('link', { name: /Sample: clinical/ }).click();
  await openTaskOfKind(page, 'Exemplar');
  await expect(page.locator('.diff-editor[data-ready]')).toBeVisible();
  await check('exemplar, editor');
  await page.getByRole('button', { name: /^Preview/ }).click();
  await expect(page.getByRole('heading', { name: 'Preview of the correction' })).toBeVisible();
  await check('exemplar, preview');

  await page.getByRole('link', { name: /Sample: clinical/ }).click();
  await openTaskOfKind(page, 'Trajectory');
  await expect(page.getByRole('feed')).toBeVisible();
  await check('trajectory');

  await go(page, '#/sync', 'Sync');
  await check('sync');
  await go(page, '#/escalations', 'Escalation queue');
  await expect(page.getByText('Nothing escalated.')).toBeVisible();
  await check('escalations, empty');
  await go(page, '#/flagged', /Flagged/);
  await check('flagged');
  await go(page, `#/b/${CLINICAL}/assumptions`, 'Assumptions');
  await check('assumptions');
  await page.getByRole('searchbox').or(page.getByRole('textbox')).first().fill('no such words anywhere');
  await expect(page.getByText('No assumption matches')).toBeVisible();
  await check('assumptions, no match');
  await go(page, '#/admin', 'Build bundle');
  await check('admin');
  expect(checked).toHaveLength(19);
});
