import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import { refreshReviewTask } from '../../electron/core/review/review-index.ts';
import { buildBundle } from '../../shared/node/bundle/index.ts';
import { generateKeyPair } from '../../shared/node/keys.ts';
import type { Annotation } from '../../shared/domain/index.ts';
import { writeCompareSource } from './data.ts';
import { nowMs, percentile, round, type Benchmark } from './harness.ts';

/** 100k; CASEBOOK_BENCH_REVIEW_TASKS makes a smaller run for a quick look. */
const TASKS = Number(process.env.CASEBOOK_BENCH_REVIEW_TASKS ?? 100_000);
const ANNOTATORS = ['ana', 'ben', 'cy'];
const uuid = (label: string) => {
  const h = createHash('sha256').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * Three annotators' received work on every task of a 100k-task bundle, written the way the
 * receive path stores it (bodies in received_records, one batch per device; signature checks are
 * the receive bench's business), each task's review index row refreshed by the real code as the
 * receive path does. Answers vary by
 * task so scores spread: some unanimous, some split on direction, strength or scores.
 */
function seedWork(core: Core): number {
  const db = core.ctx.db;
  const hashes = new Map((db.prepare("SELECT task_id, hash FROM tasks WHERE bundle_id = 'bench.review'").all() as { task_id: string; hash: string }[]).map((r) => [r.task_id, r.hash]));
  const at = '2026-05-01T10:00:00.000Z';
  const cache = { rubrics: new Map() };
  let refreshMs = 0;
  db.transaction(() => {
    ANNOTATORS.forEach((name) => {
      const deviceId = `dev-${name}`;
      db.prepare("INSERT INTO known_devices VALUES (?, ?, '{}', ?, ?, 'annotator', NULL, ?)").run(deviceId, `kid-${name}`, uuid(name), name, at);
      db.prepare("INSERT INTO received_batches VALUES (?, 1, ?, x'00', ?, ?)").run(deviceId, 'f'.repeat(64), TASKS, at);
    });
    const ins = db.prepare(
      "INSERT INTO received_records (id, kind, device_id, seq, position, author_id, author_name, bundle_id, bundle_version, task_id, body, revision, supersedes, task_hash) VALUES (?, 'annotation', ?, 1, ?, ?, ?, 'bench.review', 1, ?, ?, 1, NULL, ?)",
    );
    for (let i = 0; i < TASKS; i++) {
      const taskId = `t${i}`;
      ANNOTATORS.forEach((name, k) => {
        const x = (i * 7 + k * 13) % 10;
        const choice = i % 3 === 0 ? 'r2' : x < 5 ? 'r1' : 'r2';
        const a: Annotation = {
          id: uuid(`${name}/${taskId}`),
          bundleId: 'bench.review',
          bundleVersion: 1,
          taskId,
          taskHash: hashes.get(taskId)!,
          annotatorId: uuid(name),
          annotatorName: name,
          deviceId: `dev-${name}`,
          revision: 1,
          supersedes: null,
          status: 'submitted',
          content: {
            answer: { kind: 'compare', preference: { choice, strength: i % 3 === 0 ? 2 : ((1 + (x % 3)) as 1 | 2 | 3) }, ranking: null, scores: { r1: { accuracy: 1 + ((x + i) % 5) }, r2: { accuracy: 3 } }, rationale: 'because' },
            assumptions: [],
            escalations: i % 97 === 0 && k === 0 ? [{ id: 'e1', reason: 'unsafe_advice', severity: 'high', note: 'check', scope: { type: 'task' } }] : [],
            highlights: [],
          },
          displayOrder: ['r1', 'r2'],
          activeMs: 30_000,
          createdAt: at,
          updatedAt: at,
          submittedAt: at,
        };
        ins.run(a.id, a.deviceId, i, a.annotatorId, name, taskId, JSON.stringify(a), a.taskHash);
      });
      // As the receive path does, in the transaction that stored the work.
      const t0 = nowMs();
      refreshReviewTask(db, 'bench.review', taskId, at, cache);
      refreshMs += nowMs() - t0;
    }
  })();
  return refreshMs / TASKS;
}

/** The reviewers' disagreement queue: the first page of a 100k-task bundle with three annotators each. */
export const reviewBenchmarks: Benchmark[] = [
  {
    title: 'review: disagreement queue first page, 100k tasks × 3 annotators',
    run: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cb-bench-review-'));
      try {
        const { privateJwk, publicJwk } = generateKeyPair();
        const step = (what: string) => process.stderr.write(`  ${what} at ${Math.round(nowMs() - start)} ms\n`);
        const start = nowMs();
        const src = await writeCompareSource(join(dir, 'src'), 'bench.review', TASKS);
        await buildBundle({ sourceDir: src, key: privateJwk, outFile: join(dir, 'b.cbundle') });
        step('bundle built');
        const core = await Core.open({ dataDir: join(dir, 'data'), host: 'web' });
        await core.importBundle(join(dir, 'b.cbundle'), { trusted: [{ jwk: publicJwk, label: 'bench', bundlePrefix: null }] });
        await core.call('identity.setup', { displayName: 'Bench Reviewer', role: 'reviewer' });
        step('bundle imported');
        const refreshMs = await core.exclusive(() => seedWork(core));
        step('work seeded and indexed');
        core.ctx.db.exec('ANALYZE');
        if (process.env.CASEBOOK_BENCH_EXPLAIN) {
          const plan = core.ctx.db.prepare("EXPLAIN QUERY PLAN SELECT r.task_id FROM review_index r JOIN tasks t ON t.bundle_id = r.bundle_id AND t.task_id = r.task_id WHERE r.bundle_id = 'bench.review' AND r.annotators >= 2 AND r.adjudication IN ('none', 'stale') ORDER BY r.score DESC, r.position LIMIT 50").all();
          process.stderr.write(JSON.stringify(plan) + '\n');
        }

        const page = async (method: string, req: object): Promise<number> => {
          const s = nowMs();
          const r = await core.call(method, req);
          if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
          return nowMs() - s;
        };
        const sample = async (method: string, req: object, n = 60) => {
          for (let i = 0; i < 5; i++) await page(method, req);
          const out: number[] = [];
          for (let i = 0; i < n; i++) out.push(await page(method, req));
          return percentile(out, 95);
        };
        const queue = await sample('reviews.queue', { bundleId: 'bench.review', limit: 50 });
        const filtered = await sample('reviews.queue', { bundleId: 'bench.review', limit: 50, escalation: 'open' });
        const criterion = await sample('reviews.queue', { bundleId: 'bench.review', limit: 50, criterion: 'accuracy' });
        // Baseline, same run: the annotator's own queue page (tasks in bundle order), the cheapest
        // page the app serves.
        const baseline = await sample('queue.list', { bundleId: 'bench.review', limit: 50 });
        await core.close();
        return [
          { name: 'review_disagreement_page_p95_ms', value: round(queue, 2), unit: 'ms' },
          { name: 'review_disagreement_page_open_escalations_p95_ms', value: round(filtered, 2), unit: 'ms' },
          { name: 'review_disagreement_page_by_criterion_p95_ms', value: round(criterion, 2), unit: 'ms' },
          { name: 'review_queue_list_page_baseline_p95_ms', value: round(baseline, 2), unit: 'ms' },
          { name: 'review_index_refresh_per_task_ms', value: round(refreshMs, 3), unit: 'ms' },
        ];
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
