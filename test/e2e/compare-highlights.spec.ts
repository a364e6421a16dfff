import type { Page } from '@playwright/test';
import { CLINICAL, ensureIdentity, expect, openBundle, openTaskOfKind, test } from './fixtures.ts';

/** A run of `n` consecutive words from one text node of a response (plain text, no markup inside). */
function phraseIn(page: Page, region: string, n: number, skip = 0): Promise<string> {
  return page.evaluate(
    ({ region, n, skip }) => {
      const body = document.querySelector(`[aria-label="${region}"]`);
      if (!body) return '';
      const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        const words = (t.textContent ?? '').trim().split(' ');
        if (words.length >= n + skip + 1 && words.slice(skip, skip + n).every((w) => /^[A-Za-z,]+$/.test(w))) return words.slice(skip, skip + n).join(' ');
      }
      return '';
    },
    { region, n, skip },
  );
}

/** Selects the first occurrence of `text` inside Response A's rendered body (as a mouse drag would). */
async function selectInResponse(page: Page, region: string, text: string): Promise<void> {
  await page.evaluate(
    ({ region, text }) => {
      const body = document.querySelector(`[aria-label="${region}"]`);
      if (!body) throw new Error('no body');
      const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.textContent?.indexOf(text) ?? -1;
        if (i >= 0) {
          const range = document.createRange();
          range.setStart(n, i);
          range.setEnd(n, i + text.length);
          const sel = window.getSelection();
          sel?.removeAllRanges();
          sel?.addRange(range);
          return;
        }
      }
      throw new Error(`"${text}" not found`);
    },
    { region, text },
  );
}

test('highlights with a note, an error type and an assumption are stored with offsets and shown again after a reload', async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await ensureIdentity(page, 'Dr. Highlighter');
  await openBundle(page, CLINICAL);
  await openTaskOfKind(page, 'Compare');

  // A phrase of Response A (a word run inside one text node of the rendered Markdown).
  const phrase = await phraseIn(page, 'Response A text', 3);
  expect(phrase.split(' ')).toHaveLength(3);
  await selectInResponse(page, 'Response A text', phrase);
  await page.keyboard.press('h');
  const form = page.getByRole('form', { name: 'New highlight' });
  await expect(form).toBeVisible();
  await expect(page.getByLabel('Quote')).toHaveValue(phrase);
  await expect(page.getByLabel('Note')).toBeFocused();
  await page.keyboard.type('Vague wording here.');
  await form.getByRole('checkbox').first().check();
  await form.getByLabel('Assumption category').selectOption({ index: 1 });
  await form.getByLabel('Assumption', { exact: true }).fill('Assumed an adult patient.');
  await page.getByLabel('Note').focus();
  await page.keyboard.press('Control+Enter');
  await expect(form).toHaveCount(0);
  const mark = page.locator('[aria-label="Response A text"] mark.hl');
  await expect(mark).toHaveText(phrase);

  // Keyboard only, no selection: h, type the quote, choose Response B, Enter.
  const phraseB = await phraseIn(page, 'Response B text', 2, 1);
  await page.locator('.task-title').focus();
  await page.keyboard.press('h');
  await expect(page.getByLabel('Quote')).toBeFocused();
  await page.keyboard.type(phraseB);
  await page.getByLabel('In', { exact: true }).selectOption({ label: 'Response B' });
  await page.getByLabel('Quote').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('[aria-label="Response B text"] mark.hl')).toHaveText(phraseB);
  await expect(page.locator('.hl-item')).toHaveCount(2);
  await expect(page.locator('.hl-item').first()).toContainText('Assumed an adult patient.');

  // Saved as a draft; after a reload both marks are back at the same places.
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  await page.reload();
  await expect(page.locator('[aria-label="Response A text"] mark.hl')).toHaveText(phrase);
  await expect(page.locator('[aria-label="Response B text"] mark.hl')).toHaveText(phraseB);
  await expect(page.locator('.hl-item')).toHaveCount(2);

  // Removing one removes its mark (and its assumption).
  await page.locator('.hl-item').first().getByRole('button', { name: /Remove/ }).click();
  await expect(page.locator('[aria-label="Response A text"] mark.hl')).toHaveCount(0);
  await expect(page.locator('.hl-item')).toHaveCount(1);
});
