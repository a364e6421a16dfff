import type { BrowserGlobals } from '../browser-globals.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { plantedStore } from '../../support/planted-store.ts';
import { percentile, round, type Benchmark } from '../harness.ts';

/**
 * The agreement dashboard's first paint in the real UI: a reviewer's store with three
 * annotators' planted work (600 comparisons, 100 trajectories, received as signed batches),
 * `casebook web` serving it, Chromium navigating to #/dashboard. First paint is timed in the
 * page from the navigation until the flags and the agreement table's figures (real numbers,
 * not the spinner) are in the DOM, plus one frame so they have painted; the charts (recharts,
 * loaded on demand) are timed separately, until the first chart's SVG has painted. Median of
 * 5; the first run is cold (nothing computed or loaded yet) and reported on its own, since
 * the core keeps the computed report until the store changes. Baseline in the same run: the
 * bare insight.dashboard round trip from the page, with a fresh seed each time so it is
 * computed rather than served from the core's cache.
 */
const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const RUNS = 5;
const CHROMIUM = process.env.CASEBOOK_CHROMIUM ?? '/usr/bin/chromium';
const URL_LINE = /Casebook is running at (http:\/\/127\.0\.0\.1:\d+\/)#token=([A-Za-z0-9_-]+)/;

async function startWeb(dataDir: string): Promise<{ proc: ChildProcess; origin: string; token: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'web', '--data', dataDir, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  proc.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const m = await new Promise<RegExpExecArray>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`casebook web did not start\n${stderr}`)), 60_000);
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const hit = URL_LINE.exec(out);
      if (hit) {
        clearTimeout(timer);
        ok(hit);
      }
    });
    proc.once('exit', (code) => fail(new Error(`casebook web exited with ${code}\n${stderr}`)));
  });
  return { proc, origin: m[1] ?? '', token: m[2] ?? '' };
}

export const uiDashboardBenchmarks: Benchmark[] = [
  {
    title: 'UI: agreement dashboard first paint in Chromium (browser host)',
    run: async () => {
      if (!existsSync(join(ROOT, 'out/renderer/index.html'))) throw new Error('Build the renderer first: npx vite build');
      const dir = mkdtempSync(join(tmpdir(), 'cb-bench-dash-'));
      let web: Awaited<ReturnType<typeof startWeb>> | null = null;
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
      try {
        const dataDir = join(dir, 'data');
        const { core } = await plantedStore(dir, { compare: 600, trajectories: 100, dataDir });
        await core.close();
        web = await startWeb(dataDir);
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        await page.addInitScript({ content: 'window.__name = (f) => f;' });
        await page.goto(`${web.origin}#token=${web.token}`);
        await page.getByRole('heading', { name: 'Bundles', level: 1 }).waitFor();
        const paint: number[] = [];
        const charts: number[] = [];
        const api: number[] = [];
        for (let r = 0; r < RUNS; r += 1) {
          await page.evaluate(() => {
            (globalThis as unknown as BrowserGlobals).window.location.hash = '#/';
          });
          await page.getByRole('heading', { name: 'Bundles', level: 1 }).waitFor();
          const times = await page.evaluate(
            () =>
              new Promise<{ paint: number; charts: number }>((done) => {
                const { document, window, performance, requestAnimationFrame } = globalThis as unknown as BrowserGlobals;
                const t0 = performance.now();
                let paint = -1;
                window.location.hash = '#/dashboard';
                const figures = (): boolean => document.querySelector('.dash-flags') !== null && document.querySelector('section[aria-labelledby="dash-agreement"] tbody td') !== null;
                const check = (): void => {
                  if (paint < 0 && figures()) {
                    requestAnimationFrame(() => {
                      paint = performance.now() - t0;
                    });
                  }
                  if (paint < 0 || document.querySelector('.dash-chart svg') === null) return void requestAnimationFrame(check);
                  requestAnimationFrame(() => done({ paint, charts: performance.now() - t0 }));
                };
                check();
              }),
          );
          paint.push(times.paint);
          charts.push(times.charts);
          api.push(
            await page.evaluate(
              async ({ token, seed }) => {
                const { performance } = globalThis as unknown as BrowserGlobals;
                const t0 = performance.now();
                const res = await fetch('api/insight.dashboard', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ seed }) });
                await res.json();
                return performance.now() - t0;
              },
              { token: web.token, seed: 1000 + r },
            ),
          );
        }
        const list = (xs: number[]) => xs.map((x) => round(x, 1)).join(', ');
        process.stderr.write(`  dashboard first paint runs (ms): ${list(paint)}; charts: ${list(charts)}; insight.dashboard alone: ${list(api)}\n`);
        return [
          { name: 'ui_dashboard_first_paint_ms', value: round(percentile(paint, 50), 1), unit: `ms (median of ${RUNS}: navigation to flags and agreement figures painted; 700 tasks × 3 annotators)` },
          { name: 'ui_dashboard_cold_first_paint_ms', value: round(paint[0] ?? 0, 1), unit: 'ms (the first run: nothing computed or loaded yet)' },
          { name: 'ui_dashboard_charts_ms', value: round(percentile(charts, 50), 1), unit: `ms (median of ${RUNS}: navigation to the first chart painted)` },
          { name: 'ui_dashboard_api_ms', value: round(percentile(api, 50), 1), unit: 'ms (baseline: the bare insight.dashboard round trip from the page)' },
        ];
      } finally {
        await browser.close();
        if (web) web.proc.kill('SIGTERM');
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
