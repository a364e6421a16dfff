import { CLINICAL, ensureIdentity, expect, openBundle, openTaskOfKind, test } from './fixtures.ts';

const SHOT = 'test-results/screenshots';

test('a trajectory can be escalated without an answer; it leaves the to-do list as escalated', async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await ensureIdentity(page);
  // Annotators have no escalation queue.
  await expect(page.getByRole('link', { name: 'Escalations' })).toHaveCount(0);
  await openBundle(page, CLINICAL);
  const title = await openTaskOfKind(page, 'Trajectory', 'To do');
  await expect(page.getByRole('feed')).toBeVisible();

  await page.keyboard.press('Shift+E');
  await expect(page.getByLabel('Reason')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown'); // Possible real patient data (high)
  await expect(page.getByLabel('Severity')).toHaveValue('high');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('The referral letter quotes what looks like a real NHS number.');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('list', { name: 'Escalations' })).toContainText('Possible real patient data');
  await expect(page.getByText('an incomplete answer is accepted')).toBeVisible();

  // No step labelled, no outcome: the bundle allows escalating without an answer.
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('heading', { name: /Submitted and escalated/ })).toBeVisible();
  await page.screenshot({ path: `${SHOT}/trajectory-escalated-without-answer.png` });

  await page.keyboard.press('g');
  await page.keyboard.press('q');
  await page.getByRole('tab', { name: /Escalated/ }).click();
  await expect(page.getByRole('option').filter({ hasText: title })).toContainText('Escalated');
  await page.getByRole('tab', { name: /To do/ }).click();
  await expect(page.getByRole('option').filter({ hasText: title })).toHaveCount(0);

  // The queue screen tells an annotator it is for reviewers.
  await page.evaluate(() => (window.location.hash = '#/escalations'));
  await expect(page.getByRole('heading', { name: 'For reviewers and admins' })).toBeVisible();
});

test('on a compare task the panel’s escalation satisfies "cannot judge", and a highlighted span becomes the scope', async ({ page, appUrl }) => {
  await page.goto(appUrl);
  await ensureIdentity(page);
  await openBundle(page, CLINICAL);
  await openTaskOfKind(page, 'Compare', 'To do');
  await expect(page.getByRole('heading', { name: 'Response A' })).toBeVisible();

  // Highlight a few words of Response A, then add an assumption: the highlight is the proposed scope.
  const quote = await page.evaluate(() => {
    const body = document.querySelector('.response-body');
    const walker = body ? document.createTreeWalker(body, NodeFilter.SHOW_TEXT) : null;
    let node = walker?.nextNode() ?? null;
    while (node && (node.textContent ?? '').trim().length < 12) node = walker?.nextNode() ?? null;
    if (!node) return '';
    const text = node.textContent ?? '';
    const start = text.search(/\S/);
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, start + 10);
    const sel = window.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
    return sel?.toString() ?? '';
  });
  expect(quote.length).toBe(10);
  await page.keyboard.press('Shift+A');
  await expect(page.getByLabel('About')).toHaveValue('span');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Weight was measured today');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('list', { name: 'Assumptions' })).toContainText(`“${quote.trim()}” in Response A`);

  // Cannot judge, with the reason given in the panel rather than the mini form.
  await page.keyboard.press('c');
  await expect(page.getByText('Say why you cannot judge (escalation reason)')).toBeVisible();
  await page.keyboard.press('Shift+E');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown'); // Outside my expertise
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('Say why you cannot judge (escalation reason)')).toHaveCount(0);
  await page.keyboard.press('r');
  await page.keyboard.type('Paediatric dosing is outside my practice.');
  await page.screenshot({ path: `${SHOT}/compare-panel.png`, fullPage: false });
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('heading', { name: /Submitted and escalated/ })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Escalations' })).toContainText('Outside my expertise');
});
