import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { buildBundle } from '../../../shared/node/bundle/index.ts';
import { generateKeyPair } from '../../../shared/node/keys.ts';
import { prose, writeCompareSource } from '../data.ts';
import { percentile, round, type Benchmark, type Figure } from '../harness.ts';

/**
 * UI figures measured in the real browser host with Chromium, timed inside the page
 * (performance.now), not by Node-side polling:
 * - ui_next_task_p95_ms: from the keydown of "next task" (]) to the moment the new task's title
 *   is shown and focus sits on its first enabled control (the preference), over 200 tasks.
 *   Baseline printed alongside: the bare tasks.open API round trip from the same page.
 * - ui_long_compare_render_ms: from Enter on the queue row to both ~200 KB responses rendered
 *   (their last line in the DOM) and painted (the next animation frame); median of 3.
 * - ui_long_compare_scroll_frame_p95_ms: frame interval while scrolling one long response with
 *   synchronised scrolling on (16.7 ms is every frame at 60 Hz).
 */
const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const MINIMAL = join(ROOT, 'test/fixtures/bundle-src/minimal');
const NEXT_TASKS = 200;
const LONG_BYTES = 200_000;
const URL_LINE = /Casebook is running at (http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** ~`bytes` of Markdown with headings, lists, a table and code, ending in a sentinel line. */
function longMarkdown(seed: number, bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const block =
      i % 7 === 3
        ? `| Item | Dose | Note |\n| --- | --- | --- |\n| ${prose(seed + i, 20)} | ${i} mg | ${prose(seed + i + 1, 30)} |\n`
        : i % 7 === 5
          ? '```python\ndef dose(weight_kg):\n    return min(15 * weight_kg, 1000)  # mg\n```\n'
          : i % 5 === 0
            ? `## Section ${i}\n\n- ${prose(seed + i, 120)}\n- ${prose(seed + i + 2, 120)}\n`
            : `${prose(seed + i, 600)}\n`;
    parts.push(block);
    size += block.length + 1;
  }
  parts.push(`END-OF-RESPONSE-${seed}`);
  return parts.join('\n');
}

function writeLongSource(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const f of ['guidelines.md', 'rubric.json', 'taxonomy.json']) cpSync(join(MINIMAL, f), join(dir, f));
  writeFileSync(join(dir, 'bundle.json'), JSON.stringify({ format: 'casebook.bundle/1', id: 'bench.long', version: 1, title: 'Benchmark long compare' }));
  const task = {
    id: 'long',
    kind: 'compare',
    title: 'Two long responses',
    context: [{ role: 'user', content: 'Summarise the guidance.' }],
    responses: [
      { id: 'r1', content: longMarkdown(1, LONG_BYTES) },
      { id: 'r2', content: longMarkdown(2, LONG_BYTES) },
    ],
  };
  writeFileSync(join(dir, 'tasks.jsonl'), JSON.stringify(task) + '\n');
  return dir;
}

const cli = (args: string[]): string => execFileSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

async function startHost(dataDir: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'web', '--data', dataDir, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('browser host did not start')), 60_000);
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = URL_LINE.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    proc.once('exit', (code) => fail(new Error(`browser host exited with ${code}`)));
  });
  return { url, proc };
}

async function openQueue(page: Page, bundleId: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(bundleId.replace(/\./g, '\\.')) }).click();
  await page.getByRole('listbox', { name: /Tasks/ }).waitFor();
}

type ProbeMode = 'next-task' | 'long-compare';

/**
 * In-page probe: time from a key's keydown (capture phase, before the app sees it) until the
 * page is ready for the mode. (No `new Function` here: the app's CSP forbids eval.)
 */
async function installProbe(page: Page, key: string, mode: ProbeMode): Promise<void> {
  await page.evaluate(
    ({ key, mode }) => {
      const w = window as unknown as { __samples: number[]; __probeMode?: string; __probeKey?: string };
      w.__samples = [];
      w.__probeMode = mode;
      const first = w.__probeKey === undefined;
      w.__probeKey = key;
      if (!first) return;
      const isReady = (before: string): boolean => {
        if (w.__probeMode === 'next-task') {
          // A different title, and focus on an enabled radio of the preference group.
          const t = document.querySelector('.task-title');
          const a = document.activeElement;
          return !!t && t.textContent !== before && !!a && a.matches('.judge [role="radiogroup"] input[type="radio"]:not(:disabled)');
        }
        const bodies = document.querySelectorAll('.response-body');
        return bodies.length === 2 && [...bodies].every((b) => (b.querySelector('.markdown')?.lastElementChild?.textContent ?? '').includes('END-OF-RESPONSE'));
      };
      window.addEventListener(
        'keydown',
        (e) => {
          if (e.key !== w.__probeKey) return;
          const t0 = performance.now();
          const before = document.querySelector('.task-title')?.textContent ?? '';
          let done = false;
          const check = (): void => {
            if (done || !isReady(before)) return;
            done = true;
            observer.disconnect();
            document.removeEventListener('focusin', check);
            w.__samples.push(performance.now() - t0);
          };
          const observer = new MutationObserver(check);
          observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
          document.addEventListener('focusin', check);
        },
        true,
      );
    },
    { key, mode },
  );
}

async function nextTaskFigures(page: Page): Promise<Figure[]> {
  await openQueue(page, 'bench.ui');
  await page.keyboard.press('Enter');
  await page.locator('.judge [role="radiogroup"]').first().waitFor();
  await installProbe(page, ']', 'next-task');
  for (let i = 0; i < NEXT_TASKS; i++) {
    await page.keyboard.press(']');
    await page.waitForFunction((n) => (window as unknown as { __samples: number[] }).__samples.length >= n, i + 1);
  }
  const samples = await page.evaluate(() => (window as unknown as { __samples: number[] }).__samples);
  // Baseline: the bare API round trip of tasks.open from the same page, for the same tasks.
  const api = await page.evaluate(async (n) => {
    const token = sessionStorage.getItem('casebook.token') ?? '';
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await fetch('api/tasks.open', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ bundleId: 'bench.ui', taskId: `t${i}` }),
      });
      await r.json();
      out.push(performance.now() - t0);
    }
    return out;
  }, NEXT_TASKS);
  return [
    { name: 'ui_next_task_p95_ms', value: round(percentile(samples, 95), 1), unit: 'ms' },
    { name: 'ui_next_task_p50_ms', value: round(percentile(samples, 50), 1), unit: 'ms' },
    { name: 'ui_api_tasks_open_p95_ms', value: round(percentile(api, 95), 1), unit: 'ms (baseline: bare API round trip)' },
  ];
}

async function longCompareFigures(page: Page): Promise<Figure[]> {
  const runs: number[] = [];
  const domRuns: number[] = [];
  for (let i = 0; i < 3; i++) {
    await page.getByRole('link', { name: 'Bundles' }).click();
    await openQueue(page, 'bench.long');
    await installProbe(page, 'Enter', 'long-compare');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as unknown as { __samples: number[] }).__samples.length >= 1, undefined, { timeout: 30_000 });
    // Painted: the frame after the DOM was complete.
    const rendered = await page.evaluate(
      () =>
        new Promise<[number, number]>((ok) => {
          const w = window as unknown as { __samples: number[] };
          const dom = w.__samples[0] ?? NaN;
          const t = performance.now();
          requestAnimationFrame(() => requestAnimationFrame(() => ok([dom, dom + (performance.now() - t)])));
        }),
    );
    domRuns.push(rendered[0]);
    runs.push(rendered[1]);
  }
  // Scroll one response for ~1.5 s with sync scrolling on; record frame intervals.
  const frames = await page.evaluate(
    () =>
      new Promise<number[]>((ok) => {
        const pane = document.querySelector<HTMLElement>('.response-body');
        if (!pane) return ok([]);
        const out: number[] = [];
        let last = performance.now();
        const start = last;
        const step = (now: number): void => {
          out.push(now - last);
          last = now;
          pane.scrollTop += 60;
          pane.dispatchEvent(new Event('scroll'));
          if (now - start < 1500) requestAnimationFrame(step);
          else ok(out.slice(2));
        };
        requestAnimationFrame(step);
      }),
  );
  return [
    { name: 'ui_long_compare_render_ms', value: round(percentile(runs, 50), 1), unit: 'ms (median of 3)' },
    { name: 'ui_long_compare_dom_ms', value: round(percentile(domRuns, 50), 1), unit: 'ms (part of the above: until both texts are in the DOM)' },
    { name: 'ui_long_compare_scroll_frame_p95_ms', value: round(percentile(frames, 95), 1), unit: 'ms' },
  ];
}

export const uiCompareBenchmarks: Benchmark[] = [
  {
    title: `UI in the browser host: next task over ${NEXT_TASKS} compare tasks, and two ${LONG_BYTES / 1000} KB responses side by side`,
    run: async () => {
      if (!existsSync(join(ROOT, 'out/renderer/index.html'))) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
      const dir = mkdtempSync(join(tmpdir(), 'cb-uibench-'));
      let host: { url: string; proc: ChildProcess } | null = null;
      const browser = await chromium.launch({ executablePath: process.env.CASEBOOK_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
      try {
        const { privateJwk, publicJwk } = generateKeyPair();
        writeFileSync(join(dir, 'org.public.jwk'), JSON.stringify(publicJwk));
        const data = join(dir, 'data');
        await buildBundle({ sourceDir: await writeCompareSource(join(dir, 'src-ui'), 'bench.ui', NEXT_TASKS + 20), key: privateJwk, outFile: join(dir, 'ui.cbundle') });
        await buildBundle({ sourceDir: writeLongSource(join(dir, 'src-long')), key: privateJwk, outFile: join(dir, 'long.cbundle') });
        for (const f of ['ui.cbundle', 'long.cbundle']) cli(['bundle', 'import', join(dir, f), '--data', data, '--trust', join(dir, 'org.public.jwk')]);
        host = await startHost(data);
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        // tsx (esbuild keepNames) wraps the functions passed to page.evaluate in __name(); give the page one.
        await page.addInitScript('window.__name = (f) => f;');
        page.on('console', (m) => {
          if (m.type() === 'error') process.stderr.write(`page: ${m.text()}\n`);
        });
        page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
        await page.goto(host.url);
        await page.getByLabel('Display name').fill('Bench');
        await page.getByRole('button', { name: 'Create identity' }).click();
        await page.getByRole('heading', { name: 'Bundles', level: 1 }).waitFor();
        const figures = await nextTaskFigures(page);
        figures.push(...(await longCompareFigures(page)));
        return figures;
      } finally {
        await browser.close();
        host?.proc.kill('SIGTERM');
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
