import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BundleSummary, CoreEvent, ImportResultView } from '../../shared/contract/index.ts';
import { Core } from '../../electron/core/core.ts';
import { openDatabase } from '../../electron/core/store/database.ts';
import { BUNDLE_ID, goodFiles, signedBy, TEST_NOW } from '../fixtures/hostile/corpus.ts';
import { ORG_KEY } from '../support/fixture-keys.ts';
import { storeDigest, workstation, type Workstation } from '../support/workstation.ts';

const compareLine = (i: number, responses = 2) =>
  JSON.stringify({
    id: `t${i}`,
    kind: 'compare',
    context: [{ role: 'user', content: `Question ${i}?` }],
    responses: Array.from({ length: responses }, (_, r) => ({ id: `r${r}`, content: `Answer ${r} to question ${i}, with some words to give it body.` })),
  });

describe('streamed import', () => {
  let ws: Workstation;
  let dir: string;
  beforeEach(async () => {
    ws = await workstation({ now: TEST_NOW, trust: [{ jwk: ORG_KEY.publicJwk, label: 'Org' }] });
    dir = mkdtempSync(join(tmpdir(), 'cb-staging-'));
  });
  afterEach(() => ws.dispose());

  const bundleOf = (name: string, lines: string[], version = 1) => {
    const path = join(dir, name);
    writeFileSync(path, signedBy(ORG_KEY.privateJwk, goodFiles(version, { tasks: lines.join('\n') + '\n' }), version));
    return path;
  };

  it('a bundle refused after several batches were staged leaves no trace', async () => {
    const lines = Array.from({ length: 7000 }, (_, i) => compareLine(i));
    lines.push(compareLine(7000, 1)); // the last task breaks the schema: found only after 3 batches
    const before = storeDigest(ws.core.ctx.db);
    const r = await ws.core.call('bundles.importFile', { path: bundleOf('late-error.cbundle', lines) });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/tasks\.jsonl: line 7001: .*at least 2 responses/);
    expect(storeDigest(ws.core.ctx.db)).toEqual(before);
  });

  it('tasks larger than a transfer slot (4 MiB) arrive intact, in order, between ordinary ones', async () => {
    const huge = (i: number) =>
      JSON.stringify({
        id: `t${i}`,
        kind: 'compare',
        context: [{ role: 'user', content: `Question ${i}?` }],
        responses: [
          { id: 'r0', content: `${i} `.repeat(2_600_000) },
          { id: 'r1', content: 'short' },
        ],
      });
    const lines = Array.from({ length: 3000 }, (_, i) => ([10, 11, 2500].includes(i) ? huge(i) : compareLine(i)));
    const r = await ws.core.call('bundles.importFile', { path: bundleOf('huge.cbundle', lines) });
    expect(r.ok, !r.ok ? r.error.message : '').toBe(true);
    const rows = ws.core.ctx.db.prepare(`SELECT task_id, position, body FROM tasks WHERE bundle_id = ? ORDER BY position`).all(BUNDLE_ID) as { task_id: string; position: number; body: string }[];
    expect(rows.length).toBe(lines.length);
    rows.forEach((row, i) => {
      expect(row.task_id).toBe(`t${i}`);
      expect(row.body === lines[i], `task t${i} body`).toBe(true);
    });
  });

  it('other calls run during an import, which stays invisible until it commits, with progress reported', async () => {
    const path = bundleOf('big.cbundle', Array.from({ length: 20_000 }, (_, i) => compareLine(i)));
    const events: CoreEvent[] = [];
    ws.core.subscribe((e) => events.push(e));
    let finished = false;
    const jobId = randomUUID();
    const importing = ws.core.call('bundles.importFile', { path, jobId }).then((r) => {
      finished = true;
      return r;
    });
    let answeredDuringImport = 0;
    while (!finished) {
      const r = await ws.core.call('bundles.list', {});
      expect(r.ok).toBe(true);
      const seen = r.ok ? (r.result as BundleSummary[]) : [];
      // All or nothing: the bundle is either absent or complete, never partly there.
      if (seen.length === 0) answeredDuringImport++;
      else expect(seen.map((b) => [b.id, b.taskCount, b.kinds.compare])).toEqual([[BUNDLE_ID, 20_000, 20_000]]);
      await new Promise((res) => setTimeout(res, 5));
    }
    const result = await importing;
    // The caller's job id names the job in the answer and in every progress event.
    expect(result.ok && (result.result as ImportResultView)).toMatchObject({ outcome: 'imported', taskCount: 20_000, jobId });
    expect(answeredDuringImport).toBeGreaterThan(2);
    const progress = events.flatMap((e) => (e.type === 'job.progress' ? [e.progress] : []));
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toMatchObject({ done: 20_000, total: 20_000, finished: true, error: null });
    expect(new Set(progress.map((p) => p.jobId))).toEqual(new Set([jobId]));
    expect(events.some((e) => e.type === 'bundles.changed')).toBe(true);
  });

  it('what a crash mid-import left behind is removed at the next start', async () => {
    await ws.core.call('bundles.importFile', { path: bundleOf('v1.cbundle', [compareLine(1), compareLine(2)]) });
    const db = ws.core.ctx.db;
    const clean = storeDigest(db);
    // The state a kill -9 between two staging batches leaves: a hidden first import and a staged update.
    db.prepare(
      `INSERT INTO bundles (id, version, title, settings, guidelines, rubric, taxonomy, manifest, manifest_sha256, signer_key_id, signer_label, task_count, created_at, expires_at, imported_at, state)
       VALUES ('crashed.bundle', 1, 'Crashed', '{}', '', '{}', '{}', '{}', '', '', '', 2, '', '', '', 'staging')`,
    ).run();
    db.prepare(`INSERT INTO tasks (bundle_id, task_id, position, kind, title, body, hash, bundle_version) VALUES ('crashed.bundle', 'a', 0, 'compare', 'a', '{}', 'h', 1)`).run();
    db.prepare(`INSERT INTO import_staging (import_id, task_id, position, kind, title, body, hash) VALUES ('imp-1', 't1', 0, 'compare', 't1', '{}', 'h')`).run();
    const list = await ws.core.call('bundles.list', {});
    expect(list.ok && (list.result as BundleSummary[]).map((b) => b.id)).toEqual([BUNDLE_ID]);
    await ws.core.close();
    const reopened = await Core.open({ dataDir: join(ws.dir, 'data'), host: 'web', now: () => TEST_NOW });
    try {
      expect(storeDigest(reopened.ctx.db)).toEqual(clean);
    } finally {
      await reopened.close();
      ws = { ...ws, core: reopened, dispose: async () => undefined };
    }
  });
});

describe('kill -9 in the middle of an import', () => {
  it('leaves nothing visible, and the next start removes what was staged', async () => {
    const { spawn } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'cb-kill-'));
    const data = join(dir, 'data');
    const path = join(dir, 'big.cbundle');
    writeFileSync(path, signedBy(ORG_KEY.privateJwk, goodFiles(1, { tasks: Array.from({ length: 20_000 }, (_, i) => compareLine(i)).join('\n') + '\n' }), 1));
    const first = await Core.open({ dataDir: data, host: 'web', now: () => TEST_NOW });
    const clean = storeDigest(first.ctx.db);
    await first.close();

    const child = spawn(process.execPath, ['--import', 'tsx', new URL('../support/import-then-hang.ts', import.meta.url).pathname, data, path, ORG_KEY.publicJwk.x], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const staged = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (/staged \d+\n/.test(out)) {
          child.kill('SIGKILL');
          resolve(out);
        }
      });
      child.on('exit', () => reject(new Error(`child exited before staging: ${out}`)));
    });
    await new Promise((r) => child.once('exit', r));
    expect(staged).not.toMatch(/committed/);

    // The kill really landed mid-import: a hidden staging bundle with some of its tasks is on disk.
    const raw = openDatabase(join(data, 'casebook.sqlite'));
    const left = raw.prepare("SELECT b.state, COUNT(t.task_id) AS n FROM bundles b JOIN tasks t ON t.bundle_id = b.id GROUP BY b.id").get() as { state: string; n: number };
    raw.close();
    expect(left.state).toBe('staging');
    expect(left.n).toBeGreaterThan(0);
    expect(left.n).toBeLessThan(20_000);

    const reopened = await Core.open({ dataDir: data, host: 'web', now: () => TEST_NOW });
    try {
      expect(storeDigest(reopened.ctx.db)).toEqual(clean);
      expect((reopened.ctx.db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
    } finally {
      await reopened.close();
    }
  });
});
