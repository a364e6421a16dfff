import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { CLINICAL, expect, openBundle, test } from './fixtures.ts';

/**
 * The issue's acceptance path, keyboard only: label the 30-step sample trajectory (clin-014),
 * mark the first error, write a corrected step, add an assumption on one step and an escalation
 * on the task, submit, reload and find everything as left; the escalation is in the reviewers'
 * queue and the assumption search finds the assumption.
 */
const TASK_TITLE = 'Agent works up new AF and starts anticoagulation on the acute medical unit';
// Step 9 asks for labs from 2024 (the first error); step 12 repeats the medicines look-up.
const ERROR_STEP = 9;
const UNNECESSARY_STEP = 12;
const SHOT = 'test-results/screenshots';

async function setUpReviewer(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Set up this workstation' })).toBeVisible();
  await page.getByLabel('Display name').fill('Dr. Ada Reviewer');
  await page.getByRole('radio', { name: /Reviewer/ }).check();
  await page.getByRole('button', { name: 'Create identity' }).click();
  await expect(page.getByRole('heading', { name: 'Bundles', level: 1 })).toBeVisible();
}

const currentStep = (page: Page) => page.locator('[role="article"][aria-current="step"]');
const focusedStepNo = (page: Page): Promise<number | null> =>
  page.evaluate(() => {
    const el = document.activeElement?.closest('[role="article"]');
    return el ? Number(el.getAttribute('aria-posinset')) : null;
  });

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

test('label a 30-step trajectory from the keyboard, escalate, submit, reload, review and search', async ({ page, appUrl }) => {
  // A long keyboard walk: more than the default minute on a loaded machine.
  test.setTimeout(120_000);
  await page.goto(appUrl);
  await setUpReviewer(page);
  await openBundle(page, CLINICAL);
  await page.getByRole('option').filter({ hasText: TASK_TITLE }).click();
  await expect(page.getByRole('heading', { level: 1, name: TASK_TITLE })).toBeVisible();
  const feed = page.getByRole('feed');
  await expect(feed).toBeVisible();

  // Focus starts on step 1; the timeline is virtualised yet holds the current step.
  await expect.poll(() => focusedStepNo(page)).toBe(1);
  await expect(currentStep(page)).toHaveAttribute('aria-posinset', '1');
  await page.screenshot({ path: `${SHOT}/trajectory-open.png` });
  expect(await seriousViolations(page)).toEqual([]);

  // The ? overlay documents the trajectory keys.
  await page.keyboard.press('?');
  const overlay = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(overlay.getByRole('heading', { name: 'Trajectory task' })).toBeVisible();
  await page.screenshot({ path: `${SHOT}/trajectory-shortcuts.png` });
  await page.keyboard.press('Escape');
  await expect(overlay).toBeHidden();
  await expect.poll(() => focusedStepNo(page)).toBe(1);

  // Steps before the error: 1 marks good and moves on.
  for (let n = 1; n < ERROR_STEP; n += 1) await page.keyboard.press('1');
  await expect.poll(() => focusedStepNo(page)).toBe(ERROR_STEP);

  // The error step: verdict, an error type, a note, first error, and the corrected step.
  await page.keyboard.press('2');
  await page.keyboard.press('y');
  for (let n = 0; n < 6; n += 1) await page.keyboard.press('Tab'); // Dosing error … Wrong tool argument
  await page.keyboard.press('Space');
  await page.keyboard.press('Escape');
  await expect.poll(() => focusedStepNo(page)).toBe(ERROR_STEP);
  await page.keyboard.press('m');
  await page.keyboard.type('Labs requested for 2024, not today.');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+F');
  await page.keyboard.press('w');
  await page.keyboard.type('{"tool": "get_labs", "arguments": {"mrn": "33092145", "tests": ["creatinine", "egfr"], "from": "2026-05-12", "to": "2026-05-12"}}');
  await page.keyboard.press('Escape');
  await expect.poll(() => focusedStepNo(page)).toBe(ERROR_STEP);

  // An assumption on this step (the form proposes the current step as its scope).
  await page.keyboard.press('Shift+A');
  const form = page.getByRole('form', { name: 'Add assumption' });
  await expect(form).toBeVisible();
  await expect(page.getByLabel('Category')).toBeFocused();
  await page.keyboard.press('ArrowDown'); // Patient demographics
  await page.keyboard.press('ArrowDown'); // Pregnancy status
  await page.keyboard.press('Tab');
  await page.keyboard.type('The patient is not pregnant and renal function is stable');
  await expect(page.getByLabel('About')).toHaveValue('step');
  await expect(page.getByLabel('Step number')).toHaveValue(String(ERROR_STEP));
  await form.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOT}/trajectory-assumption-form.png` });
  await page.keyboard.press('Control+Enter');
  await expect(form).toBeHidden();
  await expect.poll(() => focusedStepNo(page)).toBe(ERROR_STEP);

  // Move on and label the rest; one unnecessary step on the way.
  await page.keyboard.press('j');
  for (let n = ERROR_STEP + 1; n < UNNECESSARY_STEP; n += 1) await page.keyboard.press('1');
  await page.keyboard.press('3');
  await page.keyboard.press('j');
  for (let n = UNNECESSARY_STEP + 1; n <= 30; n += 1) await page.keyboard.press('1');
  await expect(page.getByRole('progressbar', { name: 'Steps labelled' })).toHaveAttribute('aria-valuenow', '30');
  await expect(currentStep(page)).toHaveAttribute('aria-posinset', '30');

  // `u` finds nothing left; `k` goes back.
  await page.keyboard.press('k');
  await expect(currentStep(page)).toHaveAttribute('aria-posinset', '29');

  // An escalation on the whole task.
  await page.keyboard.press('Shift+E');
  const escForm = page.getByRole('form', { name: 'Add escalation' });
  await expect(escForm).toBeVisible();
  await expect(page.getByLabel('Reason')).toBeFocused();
  await page.keyboard.press('ArrowDown'); // Unsafe advice (critical)
  await expect(page.getByLabel('Severity')).toHaveValue('critical');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowUp'); // high
  await page.keyboard.press('Tab');
  await page.keyboard.type('Apixaban dose not reduced despite age, weight and creatinine.');
  await expect(page.getByLabel('About')).toHaveValue('task');
  await page.keyboard.press('Control+Enter');
  await expect(escForm).toBeHidden();

  // The run: outcome, score, rationale.
  await page.keyboard.press('Shift+3');
  await expect(page.getByRole('radiogroup', { name: 'Outcome of the run' }).getByRole('radio', { name: 'Failure' })).toBeChecked();
  await page.keyboard.press('s');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('r');
  await page.keyboard.type('Labs from 2024 at step 9 led to a full-dose DOAC; corrected only after the order warned.');
  await page.screenshot({ path: `${SHOT}/trajectory-labelled.png` });
  await page.keyboard.press('Control+Enter');

  await expect(page.getByRole('heading', { name: /Submitted and escalated/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /Next task/ })).toBeFocused();
  await page.screenshot({ path: `${SHOT}/trajectory-submitted.png` });

  // Reload: everything is as left.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: TASK_TITLE })).toBeVisible();
  await expect(page.getByText('Escalated (revision 1)', { exact: true })).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Steps labelled' })).toHaveAttribute('aria-valuenow', '30');
  await expect(page.getByRole('radiogroup', { name: 'Outcome of the run' }).getByRole('radio', { name: 'Failure' })).toBeChecked();
  await expect(page.getByLabel('Rationale')).toHaveValue(/Labs from 2024 at step 9/);
  await expect(page.getByRole('list', { name: 'Assumptions' })).toContainText('The patient is not pregnant');
  await expect(page.getByRole('list', { name: 'Assumptions' })).toContainText(`Step ${ERROR_STEP}`);
  await expect(page.getByRole('list', { name: 'Escalations' })).toContainText('Unsafe advice');
  await expect(page.getByRole('list', { name: 'Escalations' })).toContainText('high');
  await expect(page.getByText(`Step ${ERROR_STEP} · call get_labs`)).toBeVisible();
  // Jump to the error step: its label, note, error type and correction are there.
  await page.getByRole('button', { name: `Step ${ERROR_STEP} · call get_labs` }).click();
  const errorRow = page.locator(`[role="article"][aria-posinset="${ERROR_STEP}"]`);
  await expect(errorRow.getByRole('radio', { name: /Error/ })).toBeChecked();
  await expect(errorRow.getByText('First error')).toBeVisible();
  await expect(errorRow.getByRole('checkbox', { name: 'Wrong tool argument' })).toBeChecked();
  // Submitted work shows the note and the correction as text.
  await expect(errorRow).toContainText('Labs requested for 2024, not today.');
  await expect(errorRow.locator('.traj-corrected')).toContainText('"from": "2026-05-12"');
  await page.keyboard.press('u'); // nothing unlabelled: stays
  await page.getByRole('button', { name: `Step ${ERROR_STEP} · call get_labs` }).focus();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SHOT}/trajectory-reloaded.png` });
  // Virtualised: only the rows around the view are in the DOM.
  expect(await page.locator('[role="article"]').count()).toBeLessThan(30);

  // The reviewers' escalation queue (g e) lists it with reason, severity and annotator.
  await page.keyboard.press('g');
  await page.keyboard.press('e');
  await expect(page.getByRole('heading', { level: 1, name: 'Escalation queue' })).toBeVisible();
  const row = page.getByRole('option').filter({ hasText: TASK_TITLE });
  await expect(row).toContainText('Unsafe advice');
  await expect(row).toContainText('high');
  await expect(row).toContainText('Dr. Ada Reviewer');
  await expect(row).toContainText('Apixaban dose not reduced');
  await expect(page.getByRole('listbox', { name: 'Escalations' })).toBeFocused();
  await page.screenshot({ path: `${SHOT}/escalation-queue.png` });
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: TASK_TITLE })).toBeVisible();
  const banner = page.getByRole('complementary', { name: 'Escalation under review' });
  await expect(banner).toContainText('Unsafe advice');
  await expect(banner).toContainText('escalated by Dr. Ada Reviewer');
  await page.screenshot({ path: `${SHOT}/escalation-opened.png` });

  // The bundle card marks the high-severity escalation.
  await page.getByRole('link', { name: 'Bundles' }).click();
  await expect(page.getByText('1 high-severity escalation')).toBeVisible();
  await page.screenshot({ path: `${SHOT}/bundles-high-severity.png` });

  // The assumption search finds it.
  await openBundle(page, CLINICAL);
  await page.getByRole('button', { name: 'Search assumptions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Assumptions' })).toBeVisible();
  const search = page.getByRole('searchbox');
  // Focus starts on the results; / goes to the search field.
  await expect(page.getByRole('listbox', { name: 'Matching assumptions' })).toBeFocused();
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  await page.keyboard.type('not pregnant');
  const hit = page.getByRole('option').filter({ hasText: 'The patient is not pregnant' });
  await expect(hit).toBeVisible();
  await expect(hit).toContainText(TASK_TITLE);
  await expect(hit).toContainText('Pregnancy status');
  await expect(page.getByText('1 assumption in 1 task')).toBeVisible();
  await page.screenshot({ path: `${SHOT}/assumption-search.png` });
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.type(' xyzzy');
  await expect(page.getByText('No assumption matches')).toBeVisible();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('pregnant');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listbox', { name: 'Matching assumptions' })).toBeFocused();
  await expect(hit).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: TASK_TITLE })).toBeVisible();
});
