import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { CLINICAL, ensureIdentity, expect, openBundle, test } from './fixtures.ts';

/**
 * One judgement on one screen: at the two sizes experts use, every response's heading and scores
 * are in view without scrolling the page, only each response's text scrolls, and the context
 * folds to a line. Screenshots of each task kind are kept for a person to look at.
 */
const DIR = process.env.CASEBOOK_SHOTS ?? 'test-results/screenshots';

async function openTitled(page: Page, title: string): Promise<void> {
  await page.getByRole('option').filter({ hasText: title }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

async function backToQueue(page: Page): Promise<void> {
  await page.getByRole('link', { name: /Sample: clinical/ }).click();
  await expect(page.getByRole('listbox', { name: /Tasks/ })).toBeVisible();
}

interface Fit {
  pageScrolls: boolean;
  outOfView: string[];
  bodyHeights: number[];
}

/** What of the compare task lies outside the viewport, and how much text each response shows. */
const fit = (page: Page): Promise<Fit> =>
  page.evaluate(() => {
    const vh = window.innerHeight;
    const vw = window.innerWidth;
    const outOfView: string[] = [];
    // In the viewport, and not clipped by the responses' own box (a grid wider than its column).
    const box = document.querySelector('.responses')?.getBoundingClientRect();
    const right = Math.min(vw, box?.right ?? vw);
    const inView = (el: Element, what: string): void => {
      const r = el.getBoundingClientRect();
      if (r.top < 0 || r.bottom > vh + 0.5 || r.left < 0 || r.right > right + 0.5) outOfView.push(`${what} (${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} in ${Math.round(right)}×${vh})`);
    };
    document.querySelectorAll('.response:not([hidden])').forEach((resp, i) => {
      const head = resp.querySelector('.response-head');
      if (head) inView(head, `heading ${i + 1}`);
      resp.querySelectorAll('.response-scores [role="radiogroup"]').forEach((g) => inView(g, g.getAttribute('aria-label') ?? 'score'));
    });
    const main = document.querySelector('.task-page');
    const pageScrolls = !!main && main.scrollHeight > main.clientHeight + 1;
    const bodyHeights = [...document.querySelectorAll('.response:not([hidden]) .response-body')].map((b) => Math.round(b.getBoundingClientRect().height));
    return { pageScrolls, outOfView, bodyHeights };
  });

for (const [w, h, minBody] of [
  [1440, 900, 200],
  [1280, 720, 140],
] as const) {
  test(`compare keeps headings and scores in view at ${w}×${h}; exemplar and trajectory screenshots`, async ({ page, appUrl }) => {
    mkdirSync(DIR, { recursive: true });
    await page.setViewportSize({ width: w, height: h });
    await page.goto(appUrl);
    await ensureIdentity(page, 'Dr. Amara Okafor');
    await openBundle(page, CLINICAL);

    await openTitled(page, 'IV paracetamol dose');
    await page.keyboard.press('2');
    await expect(page.getByText('How much better is Response B?')).toBeVisible();
    const two = await fit(page);
    expect(two.outOfView).toEqual([]);
    expect(two.pageScrolls).toBe(false);
    for (const b of two.bodyHeights) expect(b).toBeGreaterThanOrEqual(minBody);
    // Reading a response scrolls its text only: the heading and the scores stay where they were.
    const head = page.locator('.response-head').first();
    const before = await head.boundingBox();
    await page.locator('.response-body').first().evaluate((el) => el.scrollTo(0, el.scrollHeight));
    expect((await fit(page)).outOfView).toEqual([]);
    expect(await head.boundingBox()).toEqual(before);
    await page.screenshot({ path: `${DIR}/compare2-${w}.png` });

    // The context folds to one line on demand (on a short screen it starts that way), and stays as chosen.
    const context = page.locator('.context-panel');
    if (h <= 760) await expect(context).toHaveClass(/is-line/);
    else {
      await page.getByRole('button', { name: 'Collapse to a line' }).click();
      await expect(context).toHaveClass(/is-line/);
    }
    expect((await context.boundingBox())?.height ?? 999).toBeLessThan(56);
    await expect(context).toContainText('Mrs Marlow is 82');
    await page.getByRole('button', { name: 'Expand', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Conversation context' })).toBeVisible();
    await page.getByRole('button', { name: 'Collapse to a line' }).click();

    await backToQueue(page);
    await openTitled(page, 'NHS 111 call');
    await expect(page.getByRole('heading', { name: 'Response D' })).toBeVisible();
    await expect(context).toHaveClass(/is-line/);
    await page.keyboard.press('3');
    await expect(page.getByText('How much better is Response C than the next best?')).toBeVisible();
    const four = await fit(page);
    expect(four.outOfView).toEqual([]);
    expect(four.pageScrolls).toBe(false);
    expect(four.bodyHeights).toHaveLength(4);
    for (const b of four.bodyHeights) expect(b).toBeGreaterThanOrEqual(minBody / 2);
    await page.screenshot({ path: `${DIR}/compare4-${w}.png` });

    await backToQueue(page);
    await openTitled(page, 'starting weekly methotrexate');
    await expect(page.locator('.diff-editor[data-ready]')).toBeVisible();
    await expect(page.locator('.editor.modified .view-lines')).toContainText('6');
    // Prose: the en dash in "6–12 weeks" gets no box.
    await expect(page.locator('.diff-editor .unicode-highlight')).toHaveCount(0);
    // The diff figures say what they count.
    await expect(page.locator('.diff-figure')).toHaveText(/Words\s*\+0\s*added\s*−0\s*removed\s*~0\s*changed/);
    await page.screenshot({ path: `${DIR}/exemplar-${w}.png` });

    await backToQueue(page);
    await openTitled(page, 'apixaban dose after AKI');
    await expect(page.getByRole('feed')).toBeVisible();
    await page.screenshot({ path: `${DIR}/trajectory-${w}.png` });
  });
}
