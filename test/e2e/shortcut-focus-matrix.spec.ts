import type { Page } from '@playwright/test';
import { SHORTCUTS, type Scope, type Shortcut } from '../../renderer/src/keyboard/registry.ts';
import { CLINICAL, ensureIdentity, expect, gotoTask, savedContent, test } from './fixtures.ts';

/**
 * Issue 11, the class made impossible: every key of every shortcut of a screen (read from the
 * registry, so a new shortcut is covered the day it is added), pressed with focus in each kind of
 * control the screen has. The rule checked: a key changes only what the focused control shows.
 *
 * - Text field or Monaco editor: the key types (or moves the caret) there and nowhere else; focus
 *   stays; the saved answer differs from before only in that field.
 * - Radio group (a rubric score, a choice): a digit chooses that group's option (or nothing);
 *   focus stays in the group; the saved answer differs only in that group's value.
 * - Button: Enter and Space press the button, never a screen shortcut (open the selected row…).
 * - Nothing focused: each shortcut runs without an error and leaves the screen where it is.
 *
 * One page load per screen and many checks per load keep it fast.
 */

const all = SHORTCUTS as readonly Shortcut[];
/** Shortcuts that leave the screen or end the work: pressed elsewhere, not in these loops. */
const LEAVES = new Set([
  'goBundles', 'goEscalations', 'task.prev', 'task.next', 'task.nextTodo', 'task.back', 'queue.open', 'queue.back', 'bundles.open', 'review.open',
  'compare.submit', 'exemplar.submit', 'trajectory.submit', 'compare.revise', 'exemplar.revise', 'trajectory.revise',
]);

/** Every key (each member of a family, each key of a sequence pressed in turn) a screen binds. */
function keysOf(scopes: readonly Scope[], skip: (s: Shortcut) => boolean = () => false): Array<{ id: string; keys: string[] }> {
  const out: Array<{ id: string; keys: string[] }> = [];
  for (const s of all) {
    if (!scopes.includes(s.scope) && s.scope !== 'global') continue;
    if (skip(s)) continue;
    for (const k of s.keys) out.push({ id: s.id, keys: k.split(' ') });
  }
  return out;
}

/** What a key types into a plain text field ('' for caret keys), or null for keys not pressed there. */
function typedBy(key: string): string | null {
  if (key.startsWith('Mod+') || key === 'Escape') return null;
  // Playwright's Shift+1 sends the key "1" with Shift held (not "!"), and a text field types it so.
  if (/^Shift\+[0-9]$/.test(key)) return key.slice(-1);
  if (/^Shift\+[A-Z]$/i.test(key)) return key.slice(-1).toUpperCase();
  if (key === 'Enter') return '\n';
  if (/^(Alt\+)?Arrow(Up|Down)$/.test(key)) return '';
  return key.length === 1 ? key : null;
}

const errorsOf = (page: Page): string[] => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
};
const route = (page: Page): Promise<string> => page.evaluate(() => window.location.hash);
const activeName = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? `${el.tagName}:${el.name || el.id}` : (el?.tagName ?? 'none');
  });

type Content = Record<string, unknown> & { answer: Record<string, unknown> };

/** The saved content once the autosave has caught up with `ready` (or the timeout says it did not). */
async function settled(appUrl: string, taskId: string, ready: (c: Content) => boolean): Promise<Content> {
  let last: Content | null = null;
  await expect
    .poll(async () => {
      last = (await savedContent(appUrl, CLINICAL, taskId)) as Content | null;
      return last !== null && ready(last);
    }, { timeout: 15_000 })
    .toBe(true);
  return last as unknown as Content;
}

/** `after` equals `before` except at answer[field] (and what the core derives from it). */
function onlyChanged(before: Content | null, after: Content, ...fields: string[]): void {
  const strip = (c: Content | null): unknown => (c ? { ...c, answer: { ...c.answer, ...Object.fromEntries(fields.map((f) => [f, null])) } } : null);
  if (before) expect(strip(after)).toEqual(strip(before));
}

/** Text field: every single-key shortcut types into it (caret kept at the end) and nothing else. */
async function checkTextField(page: Page, focusField: () => Promise<void>, scopes: Scope[], field: string): Promise<string> {
  await focusField();
  const name = await activeName(page);
  const valueNow = (): Promise<string> =>
    page.evaluate(() => (document.activeElement instanceof HTMLInputElement || document.activeElement instanceof HTMLTextAreaElement ? document.activeElement.value : ''));
  let expected = await valueNow();
  const here = await route(page);
  const singleLine = name.startsWith('INPUT');
  for (const { id, keys } of keysOf(scopes, (s) => s.inTextField === true)) {
    for (const key of keys) {
      const typed = typedBy(key);
      // Enter in a one-line field is the field's own (the search form moves to its results).
      if (typed === null || (singleLine && key === 'Enter')) continue;
      await page.keyboard.press('Control+End');
      await page.keyboard.press(key);
      expected += typed;
    }
    expect(await activeName(page), `${id} with focus in ${field}`).toBe(name);
  }
  expect(await valueNow()).toBe(expected);
  expect(await route(page)).toBe(here);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  return expected;
}

/** Radio group: every digit is that group's, or swallowed. */
async function checkRadioDigits(page: Page, focusGroup: () => Promise<void>, digitOptions?: number): Promise<{ name: string; value: string | null }> {
  await focusGroup();
  const name = await page.evaluate(() => (document.activeElement instanceof HTMLInputElement ? document.activeElement.name : ''));
  expect(name).not.toBe('');
  const values = await page.locator(`input[name="${name}"]`).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  let value = await page.evaluate((n) => document.querySelector<HTMLInputElement>(`input[name="${n}"]:checked`)?.value ?? null, name);
  const options = digitOptions ?? (await page.locator(`input[name="${name}"]`).count());
  for (const d of ['9', '0', '3', '7', '2', '5', '1', '4', '6', '8']) {
    await page.keyboard.press(d);
    // The option the digit names: a point of that value, else the option in that place.
    const n = Number(d);
    const named = values.includes(d) ? d : values.every((v) => !/^\d$/.test(v)) && n >= 1 && n <= options ? (values[n - 1] ?? null) : null;
    if (named !== null) value = named;
    const now = await page.evaluate((nm) => document.querySelector<HTMLInputElement>(`input[name="${nm}"]:checked`)?.value ?? null, name);
    expect(now, `digit ${d} on ${name}`).toBe(value);
    expect(await page.evaluate(() => (document.activeElement instanceof HTMLInputElement ? document.activeElement.name : '')), `focus after ${d}`).toBe(name);
  }
  return { name, value };
}

/** Nothing focused (or a button): each shortcut runs without an error and the screen stays. */
async function checkEachShortcutRuns(page: Page, refocus: () => Promise<void>, scopes: Scope[], errors: string[]): Promise<void> {
  const here = await route(page);
  for (const { id, keys } of keysOf(scopes, (s) => LEAVES.has(s.id) || s.inTextField === true)) {
    await refocus();
    for (const key of keys) await page.keyboard.press(key.replace(/^Mod\+/, 'Control+'));
    // Close whatever the key opened (the overlay, a form) so the next key meets the screen.
    if (await page.getByRole('dialog').count()) await page.keyboard.press('Escape');
    if (await page.locator('.hl-form, .note-form').count()) {
      await page.locator('.hl-form, .note-form').first().locator('input, select, textarea').first().focus();
      await page.keyboard.press('Escape');
    }
    expect(await route(page), `${id} (${keys.join(' ')}) left the screen`).toBe(here);
    expect(errors, `${id} threw`).toEqual([]);
  }
}

const blur = (page: Page) => async (): Promise<void> => {
  await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
};

test.beforeEach(async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await ensureIdentity(page, 'Dr. Matrix Keys');
});

test('compare (two and four responses): text field, score, preference, button, nothing', async ({ page, appUrl }) => {
  test.setTimeout(120_000);
  const errors = errorsOf(page);
  const scopes: Scope[] = ['task', 'compare'];
  for (const taskId of ['clin-002', 'clin-006']) {
    await gotoTask(page, CLINICAL, taskId);
    await page.keyboard.press('1');
    await page.keyboard.press('Shift+2');
    const before = await settled(appUrl, taskId, (c) => c.answer.preference !== null);

    const rationale = await checkTextField(page, async () => page.getByLabel(/Rationale/).focus(), scopes, 'rationale');
    const typedIn = await settled(appUrl, taskId, (c) => c.answer.rationale === rationale);
    onlyChanged(before, typedIn, 'rationale');

    // The highlight form's quote field (a one-line field): every key types there, the form stays.
    await page.keyboard.press('Escape');
    await checkTextField(page, async () => {
      await page.keyboard.press('h');
      await expect(page.getByLabel('Quote')).toBeFocused();
    }, scopes, 'highlight quote');
    await expect(page.getByRole('form', { name: 'New highlight' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('form', { name: 'New highlight' })).toHaveCount(0);

    const score = await checkRadioDigits(page, async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('s');
    });
    const [, rid = '', cid = ''] = score.name.split(':');
    const scored = await settled(appUrl, taskId, (c) => String((c.answer.scores as Record<string, Record<string, unknown>>)[rid]?.[cid]) === score.value);
    onlyChanged(typedIn, scored, 'scores');

    // The preference group: digits prefer a response, as the screen's 1 … 8 do; nothing else moves.
    const responses = await page.locator('.response-body').count();
    const pref = await checkRadioDigits(page, async () => page.getByRole('radio', { name: 'Response B', exact: true }).focus(), responses);
    onlyChanged(scored, await settled(appUrl, taskId, (c) => (c.answer.preference as { choice: string } | null)?.choice === pref.value), 'preference');

    // A button: Enter and Space press it (the sync-scrolling toggle), no shortcut fires.
    const sync = page.getByRole('button', { name: /Sync scrolling/ });
    const label = await sync.textContent();
    await sync.focus();
    await page.keyboard.press('Enter');
    await expect(sync).not.toHaveText(label ?? '');
    await page.keyboard.press('Space');
    await expect(sync).toHaveText(label ?? '');

    // Every compare shortcut is live with four responses (layout, ranking): run them all there.
    if (responses < 4) continue;
    await checkEachShortcutRuns(page, async () => sync.focus(), scopes, errors);
    await checkEachShortcutRuns(page, blur(page), scopes, errors);
  }
});

test('exemplar: Monaco editor, note, draft score, nothing', async ({ page, appUrl }) => {
  test.setTimeout(120_000);
  const errors = errorsOf(page);
  const scopes: Scope[] = ['task', 'exemplar'];
  await gotoTask(page, CLINICAL, 'clin-007');
  await expect(page.locator('.diff-editor[data-ready]')).toBeVisible();
  const inEditor = (): Promise<boolean> => page.evaluate(() => document.activeElement?.closest('.editor.modified') != null);
  expect(await inEditor()).toBe(false);
  await page.keyboard.press('m');
  await page.keyboard.type('Start.');
  const before = await settled(appUrl, 'clin-007', (c) => c.answer.note === 'Start.');

  // Monaco: every single-key shortcut goes into the correction (Monaco's own meaning), focus stays.
  await page.keyboard.press('Escape');
  await page.keyboard.press('w');
  await expect.poll(inEditor).toBe(true);
  for (const { id, keys } of keysOf(scopes, (s) => s.inTextField === true)) {
    for (const key of keys) {
      if (typedBy(key) === null || key.startsWith('Alt+')) continue;
      await page.keyboard.press('Control+End');
      await page.keyboard.press(key);
    }
    expect(await inEditor(), `${id} in the editor`).toBe(true);
  }
  await expect(page.getByRole('region', { name: 'Rendered preview of the correction' })).toHaveCount(0);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const typed = await settled(appUrl, 'clin-007', (c) => String(c.answer.corrected).includes('wp'));
  onlyChanged(before, typed, 'corrected', 'diffStats');
  await page.keyboard.press('Escape');
  expect(await inEditor()).toBe(false);

  const note = await checkTextField(page, async () => page.getByLabel('What was wrong').focus(), scopes, 'note');
  onlyChanged(typed, await settled(appUrl, 'clin-007', (c) => c.answer.note === note), 'note');

  const scoreBefore = await settled(appUrl, 'clin-007', () => true);
  const score = await checkRadioDigits(page, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('s');
  });
  const cid = score.name.slice('draft-score:'.length);
  onlyChanged(scoreBefore, await settled(appUrl, 'clin-007', (c) => String((c.answer.draftScores as Record<string, unknown>)[cid]) === score.value), 'draftScores');

  await checkEachShortcutRuns(page, blur(page), scopes, errors);
});

test('trajectory: rationale, run score, step, nothing', async ({ page, appUrl }) => {
  test.setTimeout(120_000);
  const errors = errorsOf(page);
  const scopes: Scope[] = ['task', 'trajectory'];
  await gotoTask(page, CLINICAL, 'clin-011');
  await expect(page.getByRole('feed')).toBeVisible();
  await page.keyboard.press('1');
  const before = await settled(appUrl, 'clin-011', (c) => JSON.stringify(c.answer.steps).includes('good'));

  const rationale = await checkTextField(page, async () => {
    await page.keyboard.press('r');
  }, scopes, 'rationale');
  onlyChanged(before, await settled(appUrl, 'clin-011', (c) => c.answer.rationale === rationale), 'rationale');

  // A step's note: the same, and only that step's label changes.
  const noteBefore = await settled(appUrl, 'clin-011', () => true);
  const stepNote = await checkTextField(page, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('m');
  }, scopes, 'step note');
  onlyChanged(noteBefore, await settled(appUrl, 'clin-011', (c) => JSON.stringify(c.answer.steps).includes(JSON.stringify(stepNote))), 'steps');

  const scoreBefore = await settled(appUrl, 'clin-011', () => true);
  const score = await checkRadioDigits(page, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('s');
  });
  const cid = score.name.slice('score:'.length);
  onlyChanged(scoreBefore, await settled(appUrl, 'clin-011', (c) => String((c.answer.scores as Record<string, unknown>)[cid]) === score.value), 'scores');

  // The outcome group: digits choose an outcome (as Shift+1 … 3 do), nothing else.
  const outcomeBefore = await settled(appUrl, 'clin-011', () => true);
  await checkRadioDigits(page, async () => page.locator('input[name="outcome"]').first().focus());
  onlyChanged(outcomeBefore, await settled(appUrl, 'clin-011', (c) => c.answer.outcome !== outcomeBefore.answer.outcome), 'outcome');

  await checkEachShortcutRuns(page, blur(page), scopes, errors);
});

test('queue, bundles and assumption search: search field, list, button, nothing', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = errorsOf(page);

  // Bundles: a button other than a card takes Enter itself.
  await checkEachShortcutRuns(page, blur(page), ['bundles'], errors);

  // Queue: Enter on a button is the button's (Search assumptions), not "open the selected task".
  await page.evaluate((h) => (window.location.hash = h), `#/b/${CLINICAL}`);
  await expect(page.getByRole('listbox', { name: /Tasks/ })).toBeFocused();
  await checkEachShortcutRuns(page, // The list element (a listbox only while its tab has tasks: a shortcut may switch to an empty tab).
    async () => page.locator('.queue-list').focus(), ['queue'], errors);
  await checkEachShortcutRuns(page, blur(page), ['queue'], errors);
  await page.getByRole('button', { name: 'Search assumptions' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Assumptions', level: 1 })).toBeVisible();

  // Assumption search: in the field every key types; on the list each shortcut runs.
  const field = page.getByRole('searchbox');
  await checkTextField(page, async () => field.focus(), ['review'], 'query');
  await checkEachShortcutRuns(page, async () => page.locator('.review-list').focus(), ['review'], errors);
  await page.getByRole('button', { name: 'Back to the queue' }).focus();
  await page.keyboard.press('Enter');
  // Back on the queue, on the tab the shortcuts above left selected (it may be empty).
  await expect(page.locator('.queue-list')).toBeVisible();
  await expect(page.locator('h1.task-title')).toHaveCount(0);
});
