import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureIdentity, expect, importFreshBundle, openBundle, openTaskOfKind, test } from './fixtures.ts';

/**
 * Untrusted model output must render inert: raw HTML is shown as text, never parsed; links
 * never navigate (javascript: or otherwise); nothing in a response can run script.
 */
const MINIMAL = resolve(fileURLToPath(new URL('../fixtures/bundle-src/minimal', import.meta.url)));
const BUNDLE = 'test.hostile';

const HOSTILE = [
  'Here is the answer. <img src=x onerror="window.__pwned = \'img\'">',
  '',
  '<script>window.__pwned = "script"</script>',
  '',
  '[Click for details](javascript:window.__pwned=%22link%22) and <a href="javascript:window.__pwned=\'a\'">a raw link</a>.',
  '',
  '![tracking pixel](https://example.invalid/p.gif) <iframe src="javascript:window.__pwned=\'iframe\'"></iframe>',
  '',
  '<svg onload="window.__pwned=\'svg\'"><circle r="4"/></svg> <details open ontoggle="window.__pwned=\'details\'">x</details>',
  '',
  'Math cannot link either: $\\href{javascript:window.__pwned=1}{x}$ and $\\url{javascript:window.__pwned=2}$.',
].join('\n');

function hostileSource(): string {
  const dir = mkdtempSync(join(tmpdir(), 'casebook-hostile-src-'));
  for (const f of ['guidelines.md', 'rubric.json', 'taxonomy.json']) cpSync(join(MINIMAL, f), join(dir, f));
  writeFileSync(join(dir, 'bundle.json'), JSON.stringify({ format: 'casebook.bundle/1', id: BUNDLE, version: 1, title: 'Hostile content' }));
  const tasks = [
    {
      id: 'h-compare',
      kind: 'compare',
      title: 'Hostile compare',
      context: [{ role: 'user', content: 'Tell me something <img src=x onerror="window.__pwned=\'ctx\'">' }],
      responses: [
        { id: 'r1', content: HOSTILE },
        {
          id: 'r2',
          content: [
            'A plain answer with a [normal link](https://example.org) and `code`, costing $5 and $10.',
            '',
            'Clearance is $\\alpha \\leq \\frac{a}{b}$, half is $\\frac{1}{2}$ and $$\\sum_{i=1}^n x_i^2 + y_{1}$$',
            '',
            '```python',
            'def dose(weight_kg):  # mg',
            '    return min(15 * weight_kg, 1000)',
            '```',
            '',
            '| Drug | Dose |',
            '| --- | --- |',
            '| paracetamol | 1 g |',
          ].join('\n'),
        },
      ],
    },
    { id: 'h-exemplar', kind: 'exemplar', title: 'Hostile exemplar', context: [{ role: 'user', content: 'Rewrite this.' }], draft: HOSTILE },
  ];
  writeFileSync(join(dir, 'tasks.jsonl'), tasks.map((t) => JSON.stringify(t)).join('\n') + '\n');
  return dir;
}

test.use({
  hostSetup: {
    prepare: async (dataDir) => {
      const src = hostileSource();
      try {
        importFreshBundle(src, dataDir);
      } finally {
        rmSync(src, { recursive: true, force: true });
      }
    },
  },
});

test('a response with <img onerror>, <script>, javascript: links, iframes and svg handlers renders inert', async ({ page, appUrl }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const requests: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(new URL(appUrl).origin)) requests.push(r.url());
  });
  await page.goto(appUrl);
  await ensureIdentity(page);
  await openBundle(page, BUNDLE);
  await openTaskOfKind(page, 'Compare');

  // Display order is randomised per annotator: find the responses by their text.
  const body = page.locator('.response-body').filter({ hasText: 'Here is the answer' });
  await expect(body).toBeVisible();
  // The markup is shown as text, exactly as the model wrote it.
  await expect(body).toContainText('<img src=x onerror=');
  await expect(body).toContainText('<script>window.__pwned = "script"</script>');
  // No live elements were created from it, in any response or the context.
  const live = await page.evaluate(() =>
    ['.compare img', '.compare script', '.compare iframe', '.compare svg circle', '.compare details[ontoggle]', '.compare [onerror]', '.compare a[href]'].map(
      (sel) => `${sel}: ${document.querySelectorAll(sel).length}`,
    ),
  );
  expect(live.filter((l) => !l.endsWith(': 0'))).toEqual([]);

  // The Markdown link is inert text that shows where it points; clicking it goes nowhere.
  const link = body.locator('.md-link').first();
  await expect(link).toContainText('Click for details');
  await expect(link).toHaveAttribute('title', /javascript:/);
  const before = page.url();
  await link.click();
  await page.waitForTimeout(200);
  expect(page.url()).toBe(before);
  // The image is a placeholder naming it; nothing is fetched.
  await expect(body.locator('.md-image')).toContainText('tracking pixel');

  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned ?? null)).toBeNull();
  expect(dialogs).toEqual([]);
  expect(requests).toEqual([]);

  // \href and \url in math are not typeset as links (KaTeX trust is off): no a[href] above.
  await expect(body.locator('.katex')).toHaveCount(2);
  await expect(body.locator('.katex').first()).toContainText('\\href');

  // Code blocks are highlighted with spans, math is typeset, money stays money, tables render.
  const b = page.locator('.response-body').filter({ hasText: 'A plain answer' });
  await expect(b.locator('.tok-kw').first()).toHaveText('def');
  await expect(b.locator('.tok-com')).toHaveText('# mg');
  await expect(b.locator('.katex')).toHaveCount(3);
  await expect(b.locator('.katex-display')).toHaveCount(1);
  await expect(b.locator('.katex annotation').nth(1)).toHaveText('\\frac{1}{2}');
  await expect(b.locator('.katex .mfrac')).toHaveCount(2);
  // KaTeX's own fonts load (bundled with the app, allowed by font-src 'self').
  await expect
    .poll(() => page.evaluate(() => [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'KaTeX_Main' && f.status === 'loaded').length))
    .toBeGreaterThan(0);
  await expect(b).toContainText('costing $5 and $10.');
  expect(await b.locator('p').first().locator('.katex').count()).toBe(0);
  await expect(b.getByRole('table')).toContainText('paracetamol');
  mkdirSync('test-results/screenshots', { recursive: true });
  await b.screenshot({ path: 'test-results/screenshots/math.png' });

  // The same text as an exemplar draft: in the editor and in the rendered preview.
  await page.keyboard.press(']');
  await expect(page.getByRole('heading', { level: 1, name: 'Hostile exemplar' })).toBeVisible();
  await expect(page.locator('.diff-editor[data-ready]')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.locator('.task-title').focus();
  await page.keyboard.press('p');
  const preview = page.getByRole('region', { name: 'Rendered preview of the correction' });
  await expect(preview).toContainText('<img src=x onerror=');
  const liveInEditor = await page.evaluate(() => document.querySelectorAll('.exemplar img, .exemplar script, .exemplar iframe, .exemplar a[href], .exemplar [onerror]').length);
  expect(liveInEditor).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned ?? null)).toBeNull();
  expect(dialogs).toEqual([]);
  expect(requests).toEqual([]);

  mkdirSync('test-results/screenshots', { recursive: true });
  await page.keyboard.press('[');
  await expect(page.getByRole('heading', { level: 1, name: 'Hostile compare' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/inert-content.png' });
});
