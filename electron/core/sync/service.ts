import type { Database } from 'better-sqlite3';
import { ApiError } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { requireIdentity } from '../identity/identity.ts';
import { adoptBinding, getEnrolment, holdsOwnWork, normaliseServerUrl, requestEnrolment, storeEnrolment } from './enrol.ts';
import { defaultFetch, networkMessage, type FetchFn } from './http.ts';
import { outboxCounts } from './outbox.ts';
import { pushAll, type PushOutcome, type RetryPolicy } from './push.ts';
import { DEFAULT_BATCH_SIZE, sealNext, signAndStore, signSealed } from './seal.ts';
import { exportBatchFiles } from './transport.ts';
import { parseReply, pullBundles, serverMessage, signedGet, type PullResult } from './pull.ts';
import { receiveBatch, upsertKnownDevices, type ChainView, type ReceiveResult } from './receive.ts';
import { Health, ReviewBatches, ReviewDevice } from '../../../shared/sync/wire.ts';
import type { z } from 'zod';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { SyncStatus } from '../../../shared/contract/index.ts';

function isHealth(body: Buffer): boolean {
  try {
    parseReply(Health, body, 'the health check');
    return true;
  } catch {
    return false;
  }
}

export interface SyncServiceOptions {
  fetch?: FetchFn;
  batchSize?: number;
  retry?: RetryPolicy;
}

/**
 * The workstation's side of sync. Store work runs on the core's single writer (exclusive);
 * network waits happen outside it, so the UI stays responsive during a long push.
 */
export class SyncService {
  private running: Promise<PushOutcome> | null = null;
  private online: boolean | null = null;
  private progress: { done: number; total: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly fetch: FetchFn;

  constructor(
    private readonly ctx: CoreContext,
    private readonly opts: SyncServiceOptions = {},
  ) {
    this.fetch = opts.fetch ?? defaultFetch;
  }

  /** One store step on the core's single writer. */
  private exclusive<T>(fn: (db: Database) => T | Promise<T>): Promise<T> {
    return this.ctx.exclusive(() => fn(this.ctx.db));
  }

  /** Synchronous: call on the writer (from a handler, or inside exclusive). */
  status(): SyncStatus {
    const db = this.ctx.db;
    const enrolment = getEnrolment(db);
    const refused = db.prepare("SELECT seq, refusal FROM sync_batches WHERE state = 'refused' ORDER BY seq").all() as { seq: number; refusal: string }[];
    const identity = db.prepare('SELECT device_id FROM identity WHERE id = 1').get() as { device_id: string } | undefined;
    return {
      enrolled: enrolment !== null,
      serverUrl: enrolment?.serverUrl ?? null,
      deviceId: identity?.device_id ?? null,
      online: this.online,
      running: this.running !== null,
      outbox: outboxCounts(db),
      lastSuccessAt: enrolment?.lastSuccessAt ?? null,
      lastAttemptAt: enrolment?.lastAttemptAt ?? null,
      lastError: enrolment?.lastError ?? null,
      refused: refused.map((r) => ({ seq: r.seq, reason: r.refusal })),
      progress: this.progress,
    };
  }

  async enrol(serverUrl: string, token: string): Promise<SyncStatus> {
    const url = normaliseServerUrl(serverUrl);
    const { who, ownWork } = await this.exclusive((db) => {
      const who = requireIdentity(this.ctx);
      return { who, ownWork: holdsOwnWork(db, who.userId) };
    });
    const key = await this.ctx.keyVault.load();
    if (!key) throw new ApiError('not_set_up', 'This workstation has no device key yet; finish setup first.');
    const res = await requestEnrolment(url, token.trim(), who, key, this.fetch, ownWork ? who.userId : undefined).catch((e: unknown) => {
      if (ownWork && e instanceof ApiError && e.issues?.[0]?.message === 'token_mismatch') {
        throw new ApiError('refused', `${e.message}. This workstation already holds work by ${who.displayName} (user ${who.userId}): ask your admin for a token issued with --user ${who.userId}.`, e.issues);
      }
      throw e;
    });
    return this.exclusive((db) => {
      adoptBinding(db, res);
      storeEnrolment(db, url, res.serverPublicKey, this.ctx.now().toISOString());
      this.online = true;
      this.ctx.emit({ type: 'sync.changed' });
      return this.status();
    });
  }

  /** Seals and signs whatever is in the outbox, one batch per writer turn. */
  async sealPending(onSealed?: () => void, beforeEach?: () => Promise<void>): Promise<number> {
    const key = await this.ctx.keyVault.load();
    if (!key) throw new ApiError('not_set_up', 'This workstation has no device key yet; finish setup first.');
    const deviceId = (await this.exclusive(() => requireIdentity(this.ctx))).deviceId;
    let made = 0;
    if ((await this.exclusive((db) => signSealed(db, key))) > 0) onSealed?.();
    for (;;) {
      await beforeEach?.();
      const seq = await this.exclusive((db) => {
        const b = sealNext(db, deviceId, this.opts.batchSize ?? DEFAULT_BATCH_SIZE, this.ctx.now().toISOString());
        if (b !== null) signAndStore(db, b.seq, b.payload, key);
        return b?.seq ?? null;
      });
      if (seq === null) return made;
      made++;
      onSealed?.();
    }
  }

  /** Starts a sync unless one is running; returns at once. The UI follows it through events. */
  start(): void {
    if (this.running) return;
    // Nobody awaits a background run: a failure must still reach the panel, in words.
    void this.syncNow().catch((e: unknown) =>
      this.exclusive((db) => db.prepare('UPDATE sync_enrolment SET last_error = ?, last_attempt_at = ? WHERE id = 1').run(`Sync failed: ${(e as Error).message}`, this.ctx.now().toISOString()))
        .then(() => this.ctx.emit({ type: 'sync.changed' }))
        .catch(() => undefined),
    );
  }

  /** Seals, signs and pushes everything; resolves when done, offline or refused. */
  syncNow(): Promise<PushOutcome> {
    if (this.running) return this.running;
    const run = this.runOnce().finally(() => {
      this.running = null;
      this.progress = null;
      this.ctx.emit({ type: 'sync.changed' });
    });
    this.running = run;
    this.ctx.emit({ type: 'sync.changed' });
    return run;
  }

  private async runOnce(): Promise<PushOutcome> {
    const enrolment = await this.exclusive(getEnrolment);
    if (!enrolment) throw new ApiError('not_set_up', 'This workstation is not enrolled with a sync server yet.');
    const deviceId = (await this.exclusive(() => requireIdentity(this.ctx))).deviceId;
    const total = await this.exclusive((db) => {
      const c = outboxCounts(db);
      return c.unsent - c.refusedRecords;
    });
    // Sealing runs alongside the push, at most LEAD batches ahead: while one batch is on the
    // wire (and the server verifies it) the next is sealed and signed, but sealing never
    // monopolises the writer while the push waits to record a receipt.
    const LEAD = 2;
    let sealed = 0;
    let seen = 0;
    let pushed = 0;
    let sealingDone = false;
    let pushDone = false;
    let wake: () => void = () => undefined;
    let wakeSealer: () => void = () => undefined;
    const sealing = this.sealPending(
      () => {
        sealed++;
        wake();
      },
      async () => {
        while (!pushDone && sealed - pushed >= LEAD) await new Promise<void>((r) => (wakeSealer = r));
      },
    ).finally(() => {
      sealingDone = true;
      wake();
    });
    const waitForMore = async (): Promise<boolean> => {
      if (sealed === seen && !sealingDone) await new Promise<void>((r) => (wake = r));
      const more = sealed !== seen;
      seen = sealed;
      return more;
    };
    let outcome: PushOutcome;
    try {
      outcome = await pushAll({
        serverUrl: enrolment.serverUrl,
        serverKey: enrolment.serverPublicKey,
        deviceId,
        fetch: this.fetch,
        db: this.ctx.db,
        exclusive: this.ctx.exclusive,
        now: this.ctx.now,
        totalRecords: total,
        waitForMore,
        ...(this.opts.retry ? { retry: this.opts.retry } : {}),
        onSent: () => {
          pushed++;
          wakeSealer();
        },
        onProgress: (done, all) => {
          this.progress = { done, total: all };
          this.ctx.emit({ type: 'job.progress', progress: { jobId: 'sync', label: 'Sending your work', done, total: all, finished: false, error: null } });
        },
      });
    } finally {
      pushDone = true;
      wakeSealer();
      await sealing.catch(() => undefined);
    }
    await sealing; // a sealing failure is the run's failure
    const at = this.ctx.now().toISOString();
    this.online = outcome.state !== 'offline';
    await this.exclusive((db) =>
      outcome.state === 'done'
        ? db.prepare('UPDATE sync_enrolment SET last_success_at = ?, last_attempt_at = ?, last_error = NULL WHERE id = 1').run(at, at)
        : db.prepare('UPDATE sync_enrolment SET last_attempt_at = ?, last_error = ? WHERE id = 1').run(at, outcome.state === 'refused' ? `The server refused batch ${outcome.seq}: ${outcome.message}` : outcome.message),
    );
    return outcome;
  }

  /** A person's decision to try a refused batch again (for example after an admin fixed the cause). */
  async retryRefused(): Promise<SyncStatus> {
    return this.exclusive((db) => {
      db.prepare("UPDATE sync_batches SET state = 'signed', refusal = NULL WHERE state = 'refused'").run();
      db.prepare('UPDATE sync_enrolment SET last_error = NULL WHERE id = 1').run();
      this.ctx.emit({ type: 'sync.changed' });
      return this.status();
    });
  }

  async exportBatches(outDir: string, range: { fromSeq?: number; toSeq?: number } = {}): Promise<string[]> {
    await this.sealPending();
    return this.exclusive((db) => exportBatchFiles(db, requireIdentity(this.ctx).deviceId, outDir, range));
  }

  /** Downloads newer bundle versions from the server and imports them (verified locally). */
  async pull(): Promise<PullResult> {
    const enrolment = await this.exclusive(getEnrolment);
    if (!enrolment) throw new ApiError('not_set_up', 'This workstation is not enrolled with a sync server yet.');
    const key = await this.ctx.keyVault.load();
    if (!key) throw new ApiError('not_set_up', 'This workstation has no device key yet; finish setup first.');
    const deviceId = (await this.exclusive(() => requireIdentity(this.ctx))).deviceId;
    try {
      const result = await pullBundles({
        serverUrl: enrolment.serverUrl,
        deviceId,
        key,
        fetch: this.fetch,
        now: this.ctx.now,
        tmpDir: this.ctx.dataDir,
        installed: () => this.exclusive((db) => new Map((db.prepare('SELECT id, version FROM bundles').all() as { id: string; version: number }[]).map((r) => [r.id, r.version]))),
        // The core's import job: one import at a time, in short writer turns, so other calls keep running.
        importFile: (path) => this.ctx.importBundle(path),
      });
      if (result.imported.length > 0) this.ctx.emit({ type: 'bundles.changed' });
      return result;
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError('refused', (e as Error).message);
    }
  }

  /**
   * For reviewers: learns the other devices' keys from the server and fetches their accepted
   * batches, each verified here with the server's own rule before it is kept.
   */
  async pullReviews(onProgress?: (done: number, total: number) => void): Promise<{ devices: number; received: number; failed: { deviceId: string; seq: number; message: string }[] }> {
    return this.pullFrom('/v1/review/devices', '/v1/review/batches', onProgress);
  }

  /**
   * For everyone: fetches the reviewers' signed batches (their decisions), so an author sees the
   * final answer beside theirs. Verified here like any received batch, against the reviewers'
   * keys the server lists; the server is a mailbox, the signatures decide.
   */
  async pullDecisions(): Promise<{ received: number; failed: { deviceId: string; seq: number; message: string }[] }> {
    // 'filtered': the server serves an annotator only the batches deciding their own tasks.
    const { received, failed } = await this.pullFrom('/v1/device/decisions/devices', '/v1/device/decisions/batches', undefined, 'filtered');
    return { received, failed };
  }

  /**
   * Learns devices' keys from the server (`devicesPath`) and fetches each one's accepted batches
   * after the last held (`batchesPath`), each verified here with the server's own rule before it
   * is kept; stops at a device's first refused batch (its chain cannot continue past it).
   */
  private async pullFrom(
    devicesPath: string,
    batchesPath: string,
    onProgress?: (done: number, total: number) => void,
    chain: ChainView = 'whole',
  ): Promise<{ devices: number; received: number; failed: { deviceId: string; seq: number; message: string }[] }> {
    const enrolment = await this.exclusive(getEnrolment);
    if (!enrolment) throw new ApiError('not_set_up', 'This workstation is not enrolled with a sync server yet.');
    const key = await this.ctx.keyVault.load();
    if (!key) throw new ApiError('not_set_up', 'This workstation has no device key yet; finish setup first.');
    const self = (await this.exclusive(() => requireIdentity(this.ctx))).deviceId;
    const d = { serverUrl: enrolment.serverUrl, deviceId: self, key, fetch: this.fetch, now: this.ctx.now };
    const get = async <T>(path: string, schema: z.ZodType<T>, what: string): Promise<T> => {
      try {
        const res = await signedGet(d, path);
        if (res.status !== 200) throw new Error(`The server refused: ${serverMessage(res.body, res.status)}`);
        return parseReply(schema, res.body, what);
      } catch (e) {
        throw new ApiError('refused', (e as Error).message);
      }
    };
    const devices = (await get(devicesPath, ReviewDevice.array(), 'the device list')).filter((x) => x.deviceId !== self);
    await this.exclusive((db) => upsertKnownDevices(db, devices, this.ctx.now().toISOString()));
    let received = 0;
    let seen = 0;
    const failed: { deviceId: string; seq: number; message: string }[] = [];
    const held = await this.exclusive((db) => new Map((db.prepare('SELECT device_id, MAX(seq) AS s FROM received_batches GROUP BY device_id').all() as { device_id: string; s: number }[]).map((r) => [r.device_id, r.s])));
    const total = devices.reduce((n, dev) => n + Math.max(0, dev.lastSeq - (held.get(dev.deviceId) ?? 0)), 0);
    onProgress?.(0, total);
    for (const dev of devices) {
      for (;;) {
        const after = await this.exclusive((db) => (db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM received_batches WHERE device_id = ?').get(dev.deviceId) as { s: number }).s);
        if (after >= dev.lastSeq) break;
        const page = await get(`${batchesPath}?deviceId=${encodeURIComponent(dev.deviceId)}&afterSeq=${after}`, ReviewBatches, `the batches of ${dev.deviceId}`);
        if (page.batches.length === 0) break;
        let stop = false;
        for (const b of page.batches) {
          const res = await this.exclusive(() => receiveBatch(this.ctx.db, Buffer.from(b.envelope, 'utf8'), this.ctx.now().toISOString(), chain));
          onProgress?.(++seen, total);
          if (res.ok) received += res.duplicate ? 0 : 1;
          else {
            failed.push({ deviceId: dev.deviceId, seq: b.seq, message: res.message });
            stop = true;
            break;
          }
        }
        if (stop) break;
      }
    }
    if (received > 0) this.ctx.emit({ type: 'sync.changed' });
    return { devices: devices.length, received, failed };
  }

  /** Imports batch files carried by hand (a reviewer receiving other annotators' work). */
  async importBatchFiles(files: readonly string[]): Promise<({ file: string } & ReceiveResult)[]> {
    const out: ({ file: string } & ReceiveResult)[] = [];
    for (const file of [...files].sort((a, b) => basename(a).localeCompare(basename(b)))) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (e) {
        out.push({ file, ok: false, message: `cannot read the file: ${(e as Error).message}` });
        continue;
      }
      out.push({ file, ...(await this.exclusive(() => receiveBatch(this.ctx.db, bytes, this.ctx.now().toISOString()))) });
    }
    return out;
  }

  /** importBatchFiles for bytes the UI read from chosen files, in name order, each kept or refused whole. */
  async importBatchBytes(files: readonly { name: string; bytes: Buffer }[], onFile: (done: number) => void = () => undefined): Promise<({ file: string } & ReceiveResult)[]> {
    const out: ({ file: string } & ReceiveResult)[] = [];
    for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
      out.push({ file: f.name, ...(await this.exclusive(() => receiveBatch(this.ctx.db, f.bytes, this.ctx.now().toISOString()))) });
      onFile(out.length);
    }
    return out;
  }

  /** Checks whether the server answers; when it does and work is waiting, syncs by itself. */
  async probe(): Promise<boolean> {
    const enrolment = await this.exclusive(getEnrolment);
    if (!enrolment) return false;
    try {
      const res = await this.fetch(`${enrolment.serverUrl}/v1/health`, { method: 'GET', headers: {}, signal: AbortSignal.timeout(5_000) });
      const body = Buffer.from(await res.arrayBuffer());
      // Something answering is not enough: it must be a Casebook sync server.
      this.online = res.status === 200 && isHealth(body);
    } catch (e) {
      this.online = false;
      await this.exclusive((db) => db.prepare('UPDATE sync_enrolment SET last_error = ? WHERE id = 1 AND last_error IS NULL').run(networkMessage(enrolment.serverUrl, e)));
    }
    this.ctx.emit({ type: 'sync.changed' });
    return this.online;
  }

  /** Background sync: probe every interval; push when reachable and something waits (and nothing is refused). */
  startAuto(intervalMs = 30_000): void {
    if (this.timer) return;
    const tick = async () => {
      if (this.running) return;
      const s = await this.exclusive(() => this.status());
      if (!s.enrolled || s.refused.length > 0) return;
      if ((await this.probe()) && s.outbox.unsent > 0) this.start();
    };
    this.timer = setInterval(() => void tick().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stopAuto(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async idle(): Promise<void> {
    this.stopAuto();
    await this.running?.catch(() => undefined);
  }
}
