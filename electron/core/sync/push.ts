import type { Database } from 'better-sqlite3';
import { Receipt, RECEIPT_PAYLOAD_TYPE } from '../../../shared/domain/index.ts';
import { SyncErrorBody } from '../../../shared/sync/wire.ts';
import { SignatureError, verifyEnvelope } from '../../../shared/node/dsse.ts';
import type { PublicJwk } from '../../../shared/node/keys.ts';
import { BATCH_MEDIA_TYPE } from '../../../shared/domain/index.ts';
import { networkMessage, type FetchFn } from './http.ts';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 8_000, timeoutMs: 60_000 };

export interface PushDeps {
  serverUrl: string;
  serverKey: PublicJwk;
  deviceId: string;
  fetch: FetchFn;
  db: Database;
  /** Runs a store step on the core's single writer (CoreContext.exclusive). */
  exclusive: <T>(fn: () => T) => Promise<T>;
  now: () => Date;
  retry?: RetryPolicy;
  onProgress?: (sentRecords: number, totalRecords: number) => void;
  /** Called after each batch is acknowledged (or found already acknowledged). */
  onSent?: (seq: number) => void;
  /** Records this run is expected to send, for progress; defaults to those already signed. */
  totalRecords?: number;
  /**
   * When nothing is left to send: resolves true if more batches may have been signed since
   * (sealing runs alongside), false when sealing has finished.
   */
  waitForMore?: () => Promise<boolean>;
  sleep?: (ms: number) => Promise<void>;
}

export type PushOutcome =
  | { state: 'done'; sentBatches: number }
  | { state: 'offline'; sentBatches: number; message: string }
  | { state: 'refused'; sentBatches: number; seq: number; message: string };

interface BatchRow {
  seq: number;
  envelope: Buffer;
  hash: string;
  state: 'signed' | 'sent' | 'refused';
  record_count: number;
}

/** One exchange with the server, classified: what the push loop should do next. */
type Answer =
  | { kind: 'receipt'; receipt: Buffer }
  | { kind: 'gap'; expectedSeq: number }
  | { kind: 'refused'; message: string }
  | { kind: 'transient'; message: string; retryAfterMs?: number };

const SELECT_BATCH = 'SELECT b.seq, f.envelope, b.hash, b.state, b.record_count FROM sync_batches b JOIN sync_batch_files f ON f.seq = b.seq';

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function sendOnce(d: PushDeps, b: BatchRow, policy: RetryPolicy): Promise<Answer> {
  let res;
  let body: Buffer;
  try {
    res = await d.fetch(`${d.serverUrl}/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': BATCH_MEDIA_TYPE },
      body: b.envelope,
      signal: AbortSignal.timeout(policy.timeoutMs),
    });
    body = Buffer.from(await res.arrayBuffer());
  } catch (e) {
    return { kind: 'transient', message: networkMessage(d.serverUrl, e) };
  }
  if (res.status === 200) {
    // A receipt counts only if the server's key signed it and it names exactly this batch;
    // anything else (a truncated answer, a proxy's page) is not an acknowledgement.
    try {
      const v = verifyEnvelope(body, RECEIPT_PAYLOAD_TYPE, [d.serverKey]);
      const r = Receipt.parse(JSON.parse(v.payload.toString('utf8')));
      if (r.deviceId !== d.deviceId || r.seq !== b.seq || r.batchHash !== b.hash) return { kind: 'transient', message: `the server's receipt for batch ${b.seq} names another batch` };
      return { kind: 'receipt', receipt: body };
    } catch (e) {
      const why = e instanceof SignatureError ? e.message : 'it is not a valid receipt';
      return { kind: 'transient', message: `the server's answer for batch ${b.seq} could not be verified (${why})` };
    }
  }
  let err: SyncErrorBody['error'] | null = null;
  try {
    const parsed = SyncErrorBody.safeParse(JSON.parse(body.toString('utf8')));
    if (parsed.success) err = parsed.data.error;
  } catch {
    err = null;
  }
  if (res.status === 429) {
    const after = Number(res.headers.get('retry-after') ?? '1');
    return { kind: 'transient', message: 'the server asked us to slow down', retryAfterMs: (Number.isFinite(after) ? after : 1) * 1000 };
  }
  if (res.status >= 500 || !err) return { kind: 'transient', message: `the server had a problem (HTTP ${res.status})` };
  if (err.code === 'gap' && err.expectedSeq !== undefined) return { kind: 'gap', expectedSeq: err.expectedSeq };
  return { kind: 'refused', message: err.message };
}

async function sendWithRetry(d: PushDeps, b: BatchRow): Promise<Answer> {
  const policy = d.retry ?? DEFAULT_RETRY;
  const sleep = d.sleep ?? sleepMs;
  let last: Answer = { kind: 'transient', message: 'not tried' };
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    last = await sendOnce(d, b, policy);
    if (last.kind !== 'transient') return last;
    if (attempt + 1 < policy.attempts) {
      // Exponential backoff with jitter, so many laptops coming online together do not stampede.
      const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      await sleep(last.retryAfterMs ?? exp / 2 + Math.random() * (exp / 2));
    }
  }
  return last;
}

/**
 * Pushes every signed batch in seq order, sending the stored bytes unchanged. A batch is
 * marked sent only on a receipt that verifies; a refusal is stored with the server's reason
 * and stops the push (later batches chain on it), so nothing is retried blindly. A gap makes
 * the client resend from the seq the server expects.
 */
export async function pushAll(d: PushDeps): Promise<PushOutcome> {
  const db = d.db;
  const totals = await d.exclusive(() => {
    const refused = db.prepare("SELECT seq, refusal FROM sync_batches WHERE state = 'refused' ORDER BY seq LIMIT 1").get() as { seq: number; refusal: string } | undefined;
    const pending = db.prepare("SELECT COALESCE(SUM(record_count), 0) AS n FROM sync_batches WHERE state = 'signed'").get() as { n: number };
    return { refused, pending: d.totalRecords ?? pending.n };
  });
  if (totals.refused) return { state: 'refused', sentBatches: 0, seq: totals.refused.seq, message: totals.refused.refusal };
  let sentBatches = 0;
  let sentRecords = 0;
  /** Set after a gap: resend from this seq, whatever the local state says. */
  let resendFrom: number | null = null;
  const pick = (db: Database) =>
    (resendFrom !== null
      ? db.prepare(`${SELECT_BATCH} WHERE b.seq = ?`).get(resendFrom)
      : db.prepare(`${SELECT_BATCH} WHERE b.state = 'signed' ORDER BY b.seq LIMIT 1`).get()) as BatchRow | undefined;
  /** The next batch, read in the same writer turn that recorded the last receipt (null: not read yet). */
  let prefetched: BatchRow | undefined | null = null;
  for (;;) {
    const b = prefetched !== null ? prefetched : await d.exclusive(() => pick(db));
    prefetched = null;
    if (!b) {
      if (resendFrom !== null) {
        const message = `The server expects batch ${resendFrom}, which this workstation does not have ready to send.`;
        return { state: 'refused', sentBatches, seq: resendFrom, message };
      }
      if (d.waitForMore && (await d.waitForMore())) continue;
      return { state: 'done', sentBatches };
    }
    d.onProgress?.(sentRecords, totals.pending);
    const answer = await sendWithRetry(d, b);
    if (answer.kind === 'transient') return { state: 'offline', sentBatches, message: answer.message };
    if (answer.kind === 'gap') {
      if (answer.expectedSeq >= b.seq) {
        const message = `The server expects batch ${answer.expectedSeq} but this workstation is at batch ${b.seq}; the server may have been restored from an older backup.`;
        await d.exclusive(() => db.prepare("UPDATE sync_batches SET state = 'refused', refusal = ? WHERE seq = ? AND state = 'signed'").run(message, b.seq));
        return { state: 'refused', sentBatches, seq: b.seq, message };
      }
      resendFrom = answer.expectedSeq;
      continue;
    }
    if (answer.kind === 'refused') {
      await d.exclusive(() => db.prepare("UPDATE sync_batches SET state = 'refused', refusal = ? WHERE seq = ? AND state = 'signed'").run(answer.message, b.seq));
      return { state: 'refused', sentBatches, seq: b.seq, message: answer.message };
    }
    // Record the receipt and read the next batch in one writer turn, before sealing (woken by
    // onSent) takes the writer: the next request leaves at once and the server never waits.
    prefetched = await d.exclusive(() => {
      db.prepare("UPDATE sync_batches SET state = 'sent', receipt = ?, sent_at = ? WHERE seq = ? AND state = 'signed'").run(answer.receipt, d.now().toISOString(), b.seq);
      if (resendFrom !== null) {
        const next = db.prepare('SELECT state FROM sync_batches WHERE seq = ?').get(b.seq + 1) as { state: string } | undefined;
        resendFrom = next && next.state !== 'signed' && next.state !== 'sealed' ? b.seq + 1 : null;
      }
      return pick(db);
    });
    d.onSent?.(b.seq);
    if (b.state === 'signed') {
      sentBatches++;
      sentRecords += b.record_count;
    }
    d.onProgress?.(sentRecords, totals.pending);
  }
}
