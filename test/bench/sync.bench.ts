import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptBatchBytes } from '../../server/accept.ts';
import { createEnrolToken } from '../../server/admin-auth.ts';
import { loadReceiptKey } from '../../server/server-key.ts';
import { openStorage } from '../../server/start.ts';
import { freePort, spawnServer } from '../integration/sync/processes.ts';
import { sha256Hex } from '../../shared/node/hash.ts';
import { keyId, toPublic } from '../../shared/node/keys.ts';
import { bindingOf, fillOutbox, openWorkstation } from '../integration/sync/helpers.ts';
import { nowMs, round, type Benchmark } from './harness.ts';

const N = 50_000;
const BATCH = 500;

/**
 * Sync throughput on loopback with SQLite on both sides: the full path (seal + sign + push +
 * verify + store, HTTP included) and the server's verify + store alone on the same batches.
 */
/** CPU time (ms) a process has used, from /proc on Linux; NaN elsewhere. */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

const ENCRYPTED = { kind: 'passphrase' as const, passphrase: 'bench passphrase' };

async function runOnce(encrypted: boolean): Promise<{ e2eMs: number; verifyMs: number; meanMb: number; clientCpuMs: number; serverCpuMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-bench-sync-'));
  try {
    // The server runs as its own process, as it would in production.
    const serverDir = join(dir, 'server');
    const { core, who } = await openWorkstation(join(dir, 'ws'), { sync: { batchSize: BATCH }, ...(encrypted ? { protection: ENCRYPTED } : {}) });
    const admin = await openStorage(serverDir);
    const { token } = await createEnrolToken(admin, bindingOf(who), 'bench', new Date());
    await admin.close();
    const port = await freePort();
    const server = await spawnServer(serverDir, port);
    await core.sync.enrol(`http://127.0.0.1:${port}`, token);
    await fillOutbox(core, who, N);

    const t0 = nowMs();
    const cpu0 = process.cpuUsage();
    const serverCpu0 = processCpuMs(server.proc.pid!);
    const out = await core.sync.syncNow();
    const e2eMs = nowMs() - t0;
    const cpu = process.cpuUsage(cpu0);
    const clientCpuMs = (cpu.user + cpu.system) / 1000;
    const serverCpuMs = processCpuMs(server.proc.pid!) - serverCpu0;
    server.proc.kill('SIGTERM');
    await server.exited;
    const check = await openStorage(serverDir);
    const stored = (await check.countRecords()).total;
    await check.close();
    if (out.state !== 'done' || stored !== N) throw new Error(`push did not complete: ${JSON.stringify(out)}, ${stored} stored`);

    // The same signed batches into a fresh server store, without HTTP or the client.
    const envelopes = await core.exclusive(() => core.ctx.db.prepare('SELECT envelope FROM sync_batch_files ORDER BY seq').pluck().all() as Buffer[]);
    const key = (await core.ctx.keyVault.load())!;
    await core.close();
    const dir2 = join(dir, 'server2');
    const storage = await openStorage(dir2);
    const serverKey = await loadReceiptKey(storage, dir2);
    const pub = toPublic(key);
    await storage.createEnrolToken(sha256Hex('t'), bindingOf(who), 'bench', new Date().toISOString(), new Date(Date.now() + 3600_000).toISOString());
    await storage.enrol(sha256Hex('t'), { deviceId: who.deviceId, keyId: keyId(pub), publicJwk: pub }, {}, new Date().toISOString());
    const t1 = nowMs();
    for (const e of envelopes) {
      const r = await acceptBatchBytes(storage, serverKey, e, () => new Date());
      if (!r.ok) throw new Error(r.message);
    }
    const verifyMs = nowMs() - t1;
    await storage.close();
    const mb = envelopes.reduce((s, e) => s + e.length, 0) / 1e6;
    return { e2eMs, verifyMs, meanMb: mb / envelopes.length, clientCpuMs, serverCpuMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Disk latency on a shared VM varies a lot from run to run: report the median of ROUNDS, and the spread. */
const ROUNDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const syncBenchmarks: Benchmark[] = [
  {
    title: `sync: ${N.toLocaleString('en')} annotations in batches of ${BATCH}, loopback, SQLite, workstation plain and encrypted (median of ${ROUNDS})`,
    run: async () => {
      const runs = [];
      const encRuns = [];
      // Interleaved, so a neighbour's load falls on both kinds of store alike.
      for (let i = 0; i < ROUNDS; i++) {
        runs.push(await runOnce(false));
        encRuns.push(await runOnce(true));
      }
      const e2e = runs.map((r) => N / (r.e2eMs / 1000));
      const e2eEncrypted = encRuns.map((r) => N / (r.e2eMs / 1000));
      const vs = runs.map((r) => N / (r.verifyMs / 1000));
      return [
        { name: 'sync_end_to_end_annotations_per_s', value: round(median(e2e), 0), unit: 'annotations/s' },
        { name: 'sync_verify_store_annotations_per_s', value: round(median(vs), 0), unit: 'annotations/s' },
        { name: 'sync_end_to_end_annotations_per_s_min', value: round(Math.min(...e2e), 0), unit: 'annotations/s' },
        { name: 'sync_end_to_end_annotations_per_s_max', value: round(Math.max(...e2e), 0), unit: 'annotations/s' },
        { name: 'sync_end_to_end_encrypted_annotations_per_s', value: round(median(e2eEncrypted), 0), unit: 'annotations/s' },
        { name: 'sync_end_to_end_encrypted_vs_plain_ratio', value: round(median(e2eEncrypted) / median(e2e), 2), unit: 'x' },
        { name: 'sync_client_encrypted_cpu_ms_per_1k', value: round(median(encRuns.map((r) => r.clientCpuMs)) / (N / 1000), 1), unit: 'ms' },
        { name: 'sync_batch_mean_mb', value: round(runs[0]!.meanMb, 3), unit: 'MB' },
        // CPU per 1,000 annotations on each side: comparable across runs even when other work
        // shares the machine; on an idle machine the busier side bounds the end-to-end rate.
        { name: 'sync_client_cpu_ms_per_1k', value: round(median(runs.map((r) => r.clientCpuMs)) / (N / 1000), 1), unit: 'ms' },
        { name: 'sync_server_cpu_ms_per_1k', value: round(median(runs.map((r) => r.serverCpuMs)) / (N / 1000), 1), unit: 'ms' },
      ];
    },
  },
];
