// The functions passed to page.evaluate run in Chromium and need the DOM types.
import type { BrowserGlobals } from '../browser-globals.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildBundle } from '../../../shared/node/bundle/index.ts';
import { generateKeyPair } from '../../../shared/node/keys.ts';
import { Core } from '../../../electron/core/core.ts';
import { prose } from '../data.ts';
import { percentile, round, type Benchmark } from '../harness.ts';

/**
 * Opening a 2,000-step trajectory in the real UI: a signed bundle with one long run is imported
 * into a fresh store, `casebook web` serves it, and Chromium opens the task. Timed in the page
 * from the navigation to the task until the timeline has rendered a step and focused it (the
 * point where j/k and the verdict keys work), then one more frame so it has painted. Baselines
 * in the same run: the bare `tasks.open` round trip from the page (data only, no rendering) and
 * the DOM size, after opening and while scrolling, which virtualisation keeps flat.
 */
const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const MINIMAL = join(ROOT, 'test/fixtures/bundle-src/minimal');
const BUNDLE = 'bench.trajectory';
const TASK = 'traj-2000';
const STEPS = 2000;
const RUNS = 5;
const CHROMIUM = process.env.CASEBOOK_CHROMIUM ?? '/usr/bin/chromium';
/** About 9,000 px/s at 60 frames a second: a brisk scroll, more than reading speed. */
const SCROLL_PX_PER_FRAME = 150;
const URL_LINE = /Casebook is running at (http:\/\/127\.0\.0\.1:\d+\/)#token=([A-Za-z0-9_-]+)/;

/** A realistic mix: messages, thoughts, tool calls with JSON arguments, and results of all lengths. */
function step(i: number): Record<string, unknown> {
  const id = `s${i + 1}`;
  switch (i % 4) {
    case 0:
      return i % 40 === 0
        ? { id, type: 'message', role: 'user', content: prose(i, 300) }
        : { id, type: 'thought', content: prose(i, 120 + (i % 7) * 40) };
    case 1:
      return { id, type: 'tool_call', tool: `tool_${i % 9}`, callId: `c${i}`, arguments: { mrn: '33092145', query: prose(i, 40), from: '2026-05-01', to: '2026-05-12', limit: i % 50 } };
    case 2:
      return {
        id,
        type: 'tool_result',
        tool: `tool_${(i - 1) % 9}`,
        callId: `c${i - 1}`,
        isError: i % 97 === 0,
        content: JSON.stringify({ results: Array.from({ length: 1 + (i % 13) }, (_, k) => ({ k, value: prose(i + k, 60) })) }),
      };
    default:
      return { id, type: 'message', role: 'assistant', content: prose(i, 200 + (i % 5) * 80) };
  }
}

function writeSource(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const f of ['guidelines.md', 'rubric.json', 'taxonomy.json']) cpSync(join(MINIMAL, f), join(dir, f));
  writeFileSync(join(dir, 'bundle.json'), JSON.stringify({ format: 'casebook.bundle/1', id: BUNDLE, version: 1, title: 'Benchmark: 2,000-step trajectory' }));
  const task = { id: TASK, kind: 'trajectory', title: 'A 2,000-step agent run', goal: prose(1, 400), steps: Array.from({ length: STEPS }, (_, i) => step(i)) };
  writeFileSync(join(dir, 'tasks.jsonl'), JSON.stringify(task) + '\n');
  return dir;
}

async function startWeb(dataDir: string): Promise<{ proc: ChildProcess; origin: string; token: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'web', '--data', dataDir, '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
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

export const uiTrajectoryBenchmarks: Benchmark[] = [
  {
    title: 'UI: open a 2,000-step trajectory in Chromium (browser host)',
    run: async () => {
      if (!existsSync(join(ROOT, 'out/renderer/index.html'))) throw new Error('Build the renderer first: npx vite build');
      const dir = mkdtempSync(join(tmpdir(), 'cb-bench-ui-'));
      let web: Awaited<ReturnType<typeof startWeb>> | null = null;
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      try {
        const { privateJwk, publicJwk } = generateKeyPair();
        const src = writeSource(join(dir, 'src'));
        await buildBundle({ sourceDir: src, key: privateJwk, outFile: join(dir, 'b.cbundle') });
        const dataDir = join(dir, 'data');
        const core = await Core.open({ dataDir, host: 'web' });
        await core.importBundle(join(dir, 'b.cbundle'), { trusted: [{ jwk: publicJwk, label: 'bench', bundlePrefix: null }] });
        await core.call('identity.setup', { displayName: 'Bench', role: 'annotator' });
        await core.close();

        web = await startWeb(dataDir);
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        // tsx compiles the in-page functions below with esbuild's keepNames, which calls __name().
        await page.addInitScript({ content: 'window.__name = (f) => f;' });
        await page.goto(`${web.origin}#token=${web.token}`);
        await page.getByRole('heading', { name: 'Bundles', level: 1 }).waitFor();

        const openMs: number[] = [];
        const apiMs: number[] = [];
        const renderMs: number[] = [];
        let domAfterOpen = 0;
        for (let r = 0; r < RUNS; r += 1) {
          // From the queue, as an annotator would arrive.
          await page.evaluate((b) => {
            const { window } = globalThis as unknown as BrowserGlobals;
            window.location.hash = `#/b/${b}`;
          }, BUNDLE);
          await page.getByRole('listbox', { name: /Tasks/ }).waitFor();
          const t = await page.evaluate(
            ({ b, id }) =>
              new Promise<{ total: number; render: number }>((done) => {
                const { document, window, performance, requestAnimationFrame } = globalThis as unknown as BrowserGlobals;
                performance.clearResourceTimings();
                const t0 = performance.now();
                window.location.hash = `#/b/${b}/t/${id}`;
                const ready = (): boolean => {
                  const row = document.querySelector('[role="feed"] [role="article"][aria-current="step"]');
                  return row !== null && document.activeElement === row;
                };
                const check = (): void => {
                  if (!ready()) return void requestAnimationFrame(check);
                  requestAnimationFrame(() => {
                    const end = performance.now();
                    // The part after the task's data arrived: parsing, rendering, layout, paint.
                    const api = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('api/tasks.open'));
                    const arrived = api.length > 0 ? Math.max(...api.map((e) => e.responseEnd)) : t0;
                    done({ total: end - t0, render: end - arrived });
                  });
                };
                check();
              }),
            { b: BUNDLE, id: TASK },
          );
          openMs.push(t.total);
          renderMs.push(t.render);
          domAfterOpen = await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.getElementsByTagName('*').length);
          apiMs.push(
            await page.evaluate(
              async ({ b, id, token }) => {
                const { performance } = globalThis as unknown as BrowserGlobals;
                const t0 = performance.now();
                const res = await fetch('api/tasks.open', {
                  method: 'POST',
                  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
                  body: JSON.stringify({ bundleId: b, taskId: id }),
                });
                await res.json();
                return performance.now() - t0;
              },
              { b: BUNDLE, id: TASK, token: web.token },
            ),
          );
        }

        // Scroll through the run a frame at a time: frame times and the largest DOM seen.
        const scroll = await page.evaluate(
          (px) => new Promise<{ frames: number[]; maxNodes: number; rows: number }>((done) => {
              const { document, performance, requestAnimationFrame } = globalThis as unknown as BrowserGlobals;
              const el = document.querySelector('[data-testid="timeline-scroll"]');
              if (!el) return done({ frames: [], maxNodes: 0, rows: 0 });
              const frames: number[] = [];
              let maxNodes = 0;
              let last = performance.now();
              let n = 0;
              const tick = (now: number): void => {
                frames.push(now - last);
                last = now;
                el.scrollTop += px;
                maxNodes = Math.max(maxNodes, document.getElementsByTagName('*').length);
                n += 1;
                if (n < 240) requestAnimationFrame(tick);
                else done({ frames: frames.slice(1), maxNodes, rows: document.querySelectorAll('[role="article"]').length });
              };
              requestAnimationFrame(tick);
            }),
          SCROLL_PX_PER_FRAME,
        );

        process.stderr.write(`  open runs (ms): ${openMs.map((x) => round(x, 1)).join(', ')}; after data: ${renderMs.map((x) => round(x, 1)).join(', ')}; first is cold (bundle details fetched, code paths not yet optimised)\n`);
        return [
          { name: 'ui_trajectory_2000_open_ms', value: round(percentile(openMs, 50), 1), unit: 'ms' },
          { name: 'ui_trajectory_2000_open_max_ms', value: round(Math.max(...openMs), 1), unit: 'ms' },
          { name: 'ui_trajectory_2000_render_after_data_ms', value: round(percentile(renderMs, 50), 1), unit: 'ms' },
          { name: 'ui_trajectory_2000_tasks_open_api_ms', value: round(percentile(apiMs, 50), 1), unit: 'ms' },
          { name: 'ui_trajectory_2000_dom_nodes', value: domAfterOpen, unit: 'elements' },
          { name: 'ui_trajectory_2000_scroll_max_dom_nodes', value: scroll.maxNodes, unit: 'elements' },
          { name: 'ui_trajectory_2000_scroll_frame_p95_ms', value: round(percentile(scroll.frames, 95), 1), unit: 'ms' },
        ];
      } finally {
        await browser.close();
        if (web && web.proc.exitCode === null) {
          const exited = new Promise<void>((ok) => web?.proc.once('exit', () => ok()));
          web.proc.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
