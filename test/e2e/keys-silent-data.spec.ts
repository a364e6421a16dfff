import type { Page } from '@playwright/test';
import { CLINICAL, coreCall, ensureIdentity, expect, gotoTask, savedContent, test } from './fixtures.ts';

/**
 * Issue 11's "silent wrong data": each path below once recorded something the expert did not
 * mean, with nothing on screen to say so. Each test walks the path from the keyboard and checks
 * what the core saved, not only what the page shows.
 */

interface Answer {
  preference?: { choice: string; strength: number | null } | null;
  scores?: Record<string, Record<string, unknown>>;
  rationale?: string;
  corrected?: string;
  labels?: Array<{ stepId: string; verdict: string | null }>;
}
const answerOf = async (appUrl: string, taskId: string): Promise<Answer | null> =>
  ((await savedContent(appUrl, CLINICAL, taskId))?.answer as Answer | undefined) ?? null;
const displayOrder = async (appUrl: string, taskId: string): Promise<string[]> =>
  (await coreCall<{ displayOrder: string[] }>(appUrl, 'tasks.open', { bundleId: CLINICAL, taskId })).displayOrder;

/** What has focus, in words: the tag, and the name or id that says which control it is. */
const focused = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const name = el.getAttribute('name') ?? el.getAttribute('aria-label') ?? el.id ?? '';
    return `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}${name ? ` ${name}` : ''}`;
  });

/** Selects `length` characters of the n-th response's text, as a mouse drag would. */
async function selectInResponse(page: Page, n: number, length: number): Promise<string> {
  return page.evaluate(
    ([index, len]) => {
      const body = document.querySelectorAll('.response-body')[index];
      const walker = body ? document.createTreeWalker(body, NodeFilter.SHOW_TEXT) : null;
      let node = walker?.nextNode() ?? null;
      while (node && (node.textContent ?? '').trim().length < len + 2) node = walker?.nextNode() ?? null;
      if (!node) return '';
      const start = (node.textContent ?? '').search(/\S/);
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, start + len);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
      return sel?.toString() ?? '';
    },
    [n, length] as const,
  );
}

test.beforeEach(async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await ensureIdentity(page, 'Dr. Amara Okafor');
});

test('1. a digit typed on a focused rubric score is that score: the preference never changes', async ({ page, appUrl }) => {
  // Four responses: a "1" that flipped the preference would pick Response A over the chosen B.
  await gotoTask(page, CLINICAL, 'clin-006');
  const order = await displayOrder(appUrl, 'clin-006');
  await page.keyboard.press('2');
  await expect(page.getByRole('radio', { name: 'Response B', exact: true })).toBeChecked();

  await page.keyboard.press('s');
  const name = await page.evaluate(() => (document.activeElement instanceof HTMLInputElement ? document.activeElement.name : ''));
  expect(name).toMatch(/^score:/);
  await page.keyboard.press('1');
  await expect(page.locator(`input[name="${name}"][value="1"]`)).toBeChecked();
  await expect(page.locator(`input[name="${name}"][value="1"]`)).toBeFocused();
  await expect(page.getByRole('radio', { name: 'Response B', exact: true })).toBeChecked();
  // A digit naming no point of the scale is swallowed, not passed on to the screen.
  await page.keyboard.press('7');
  await expect(page.getByRole('radio', { name: 'Response B', exact: true })).toBeChecked();
  await expect(page.locator(`input[name="${name}"][value="1"]`)).toBeChecked();

  const [, responseId = '', criterionId = ''] = name.split(':');
  await expect
    .poll(() => answerOf(appUrl, 'clin-006'), { timeout: 10_000 })
    .toMatchObject({ preference: { choice: order[1] }, scores: { [responseId]: { [criterionId]: 1 } } });

  // The same on a trajectory: a digit on a focused run score is the score, not a step verdict.
  await gotoTask(page, CLINICAL, 'clin-011');
  await expect(page.getByRole('feed')).toBeVisible();
  await page.keyboard.press('s');
  const scoreName = await page.evaluate(() => (document.activeElement instanceof HTMLInputElement ? document.activeElement.name : ''));
  expect(scoreName).toMatch(/^score:/);
  await page.keyboard.press('2');
  await expect(page.locator(`input[name="${scoreName}"][value="2"]`)).toBeChecked();
  await expect(page.getByRole('progressbar', { name: 'Steps labelled' })).toHaveAttribute('aria-valuenow', '0');
  await expect
    .poll(async () => {
      const a = await answerOf(appUrl, 'clin-011');
      return { scored: a?.scores !== undefined && Object.keys(a.scores).length > 0, verdicts: (a?.labels ?? []).filter((l) => l.verdict !== null).length };
    })
    .toEqual({ scored: true, verdicts: 0 });
});

test('2. an exemplar opens with focus outside the correction: its shortcuts never type into it', async ({ page, appUrl }) => {
  await gotoTask(page, CLINICAL, 'clin-009');
  await expect(page.locator('.diff-editor[data-ready]')).toBeVisible();
  const editorFocused = (): Promise<boolean> => page.evaluate(() => document.activeElement?.closest('.monaco-editor') != null);

  // p previews and back, y goes to the error types: none of it lands in the text.
  await page.keyboard.press('p');
  await expect(page.getByRole('region', { name: 'Rendered preview of the correction' })).toBeVisible();
  await page.keyboard.press('p');
  await expect(page.getByRole('region', { name: 'Rendered preview of the correction' })).toHaveCount(0);
  await page.keyboard.press('y');
  await expect(page.locator('.error-types input').first()).toBeFocused();
  await expect(page.getByText('The correction is still identical to the draft.')).toBeVisible();
  await expect(page.locator('.diff-figure')).toContainText('+0');
  await expect(page.getByText('Everything required is filled in.')).toHaveCount(0);
  expect(await editorFocused()).toBe(false);

  // `w` is how one goes in; only then do letters type.
  await page.keyboard.press('w');
  await expect.poll(editorFocused).toBe(true);
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Take it on the same day each week.');
  await page.keyboard.press('Escape');
  await expect.poll(editorFocused).toBe(false);
  await page.keyboard.press('p');
  await expect(page.getByRole('region', { name: 'Rendered preview of the correction' })).toContainText('Take it on the same day each week.');
  await expect
    .poll(async () => (await answerOf(appUrl, 'clin-009'))?.corrected ?? '')
    .toMatch(/\S Take it on the same day each week\.$/);
  const task = await coreCall<{ task: { draft: string } }>(appUrl, 'tasks.open', { bundleId: CLINICAL, taskId: 'clin-009' });
  expect((await answerOf(appUrl, 'clin-009'))?.corrected).toBe(`${task.task.draft} Take it on the same day each week.`);
});

test('3. a rationale typed straight after a ranking change lands whole; no shortcut fires meanwhile', async ({ page, appUrl }) => {
  await gotoTask(page, CLINICAL, 'clin-005');
  const rationale = page.getByLabel(/Rationale/);
  // Slow the page as a loaded workstation is slow, and type as an expert does, without waiting
  // for the screen: the keys then queue up while React renders the ranking, and the browser runs
  // queued input before timers, which is when a deferred focus move pulled focus out of the
  // rationale (and `h`, `s` … of the sentence fired as shortcuts).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
  let expected = '';
  for (const sentence of ['Both answers are safe; B has the higher dose.', ' She should ask how the harm happens.']) {
    await page.locator('.rank-row').first().focus();
    await page.keyboard.press('ArrowDown');
    await Promise.all(['=', 'r', ...sentence].map((key) => page.keyboard.press(key === ' ' ? 'Space' : key)));
    expected += sentence;
    await expect(rationale).toHaveValue(expected);
    await expect(rationale).toBeFocused();
    await expect(page.getByRole('form', { name: 'New highlight' })).toHaveCount(0);
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await expect.poll(async () => (await answerOf(appUrl, 'clin-005'))?.rationale).toBe(expected);
});

test('4. the assumption search opens with focus on the results; / goes to the field without typing itself', async ({ page }) => {
  await page.evaluate((h) => (window.location.hash = h), `#/b/${CLINICAL}/assumptions`);
  await expect(page.getByRole('heading', { name: 'Assumptions', level: 1 })).toBeVisible();
  const field = page.getByRole('searchbox');
  await expect(page.getByRole('status').filter({ hasText: /assumptions? in/ })).toBeVisible();
  await page.keyboard.press('/');
  await page.keyboard.type('weight');
  await expect(field).toHaveValue('weight');
  await expect(field).toBeFocused();
  // It opened with focus on the results, where j/k and Enter work.
  // (The results element is a listbox only while it lists something.)
  await page.reload();
  await expect(page.locator('.review-list')).toBeFocused();
});

test('5. the queue’s All tab counts and lists escalated tasks: its count is its number of rows', async ({ page, appUrl }) => {
  // Escalate one task through the core, as the escalation form would.
  const ref = { bundleId: CLINICAL, taskId: 'clin-012' };
  const view = await coreCall<{ annotation: { content: Record<string, unknown> } | null }>(appUrl, 'tasks.open', ref);
  expect(view.annotation).toBeNull();
  await gotoTask(page, CLINICAL, 'clin-012');
  await page.keyboard.press('Shift+E');
  await expect(page.getByLabel('Reason')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('list', { name: 'Escalations' })).toBeVisible();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('heading', { name: /Submitted and escalated/ })).toBeVisible();

  await page.keyboard.press('g');
  await page.keyboard.press('q');
  const list = page.getByRole('listbox', { name: /Tasks/ });
  await expect(list).toBeFocused();
  const allTab = page.getByRole('tab', { name: /^All/ });
  await expect(allTab).toHaveAttribute('aria-selected', 'true');
  await expect(allTab.locator('.tab-count')).toHaveText('14');
  await expect(page.getByRole('option').first()).toHaveAttribute('aria-setsize', '14');
  await page.keyboard.press('End');
  const last = page.getByRole('option', { selected: true });
  await expect(last).toHaveAttribute('aria-posinset', '14');
  await expect(last).toContainText('Agent works up new AF');
  await expect(page.getByRole('option').filter({ hasText: 'Agent starts antibiotics for pneumonia' })).toContainText('Escalated');
});

test('6. Esc never leaves a task; focus comes back where the expert was after a highlight or an assumption', async ({ page, appUrl }) => {
  await gotoTask(page, CLINICAL, 'clin-001');
  const title = page.locator('h1.task-title');
  const titleText = (await title.textContent()) ?? '';
  const preferA = page.getByRole('radio', { name: 'Response A', exact: true });
  await expect(preferA).toBeFocused();

  // Esc in a field leaves it for its section (not <body>); Esc again stays on the task.
  await page.keyboard.press('r');
  await page.keyboard.type('Draft.');
  await page.keyboard.press('Escape');
  expect(await focused(page)).toMatch(/^div\.field/);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(title).toHaveText(titleText);
  // Tab from the section goes back into the field.
  await page.keyboard.press('Tab');
  await expect(page.getByLabel(/Rationale/)).toBeFocused();
  await page.keyboard.press('Escape');

  // A highlight from the preference: focus returns to the preference after it is added.
  await preferA.focus();
  const quote = await selectInResponse(page, 0, 12);
  expect(quote).toHaveLength(12);
  await page.keyboard.press('h');
  await expect(page.getByRole('form', { name: 'New highlight' })).toBeVisible();
  await page.keyboard.type('Too vague.');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('form', { name: 'New highlight' })).toHaveCount(0);
  await expect(page.locator('.hl-item')).toHaveCount(1);
  await expect(preferA).toBeFocused();
  // Cancelling one (Esc) comes back too.
  await page.keyboard.press('h');
  await expect(page.getByRole('form', { name: 'New highlight' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('form', { name: 'New highlight' })).toHaveCount(0);
  await expect(preferA).toBeFocused();
  await expect(title).toHaveText(titleText);

  // An assumption on text selected with the mouse (focus on nothing): back to that response's text.
  await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
  await selectInResponse(page, 1, 10);
  await page.keyboard.press('Shift+A');
  await expect(page.getByLabel('Category')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Weight was measured today');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('list', { name: 'Assumptions' })).toContainText('Weight was measured today');
  await expect(page.getByRole('region', { name: 'Response B text' })).toBeFocused();
  expect(await focused(page)).not.toBe('body');

  // On a trajectory, Esc on the step itself stays on the task too.
  await gotoTask(page, CLINICAL, 'clin-013');
  await expect(page.getByRole('feed')).toBeVisible();
  const trajTitle = (await title.textContent()) ?? '';
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('article');
  await page.keyboard.press('Escape');
  await expect(title).toHaveText(trajTitle);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('article');
  await expect.poll(async () => ((await savedContent(appUrl, CLINICAL, 'clin-001'))?.highlights as unknown[] | undefined)?.length).toBe(1);
});
