import type { Worker } from 'node:worker_threads';
import { ApiError } from '../../../shared/contract/index.ts';
import { formatProblem, type TrustedKey } from '../../../shared/node/bundle/index.ts';
import type { ZipLimits } from '../../../shared/node/zip.ts';
import { withCode } from '../../../shared/node/bundle/refusal.ts';
import { spawnWorker } from '../workers/spawn.ts';
import type { BatchMessage, CoreMessage, FailureMessage, HeaderMessage, ReaderMessage } from './import-protocol.ts';

/**
 * The core's end of the import reader thread: the header first, then validated batches in
 * order. Any failure on the reader side surfaces here as the ApiError the user will see.
 */
const YOUNG_GEN_MB = 48;
const OLD_GEN_MB = 128;
/** Four 4 MiB slots: at most 16 MiB of task text between the threads at any time. */
const SLOT_BYTES = 4 * 1024 * 1024;
const SLOTS = 4;

export class ImportReader {
  private readonly worker: Worker;
  private readonly inbox: ReaderMessage[] = [];
  private waiting: ((m: ReaderMessage) => void) | null = null;
  private closed = false;
  private readonly ring = new SharedArrayBuffer(SLOT_BYTES * SLOTS);

  constructor(path: string, trusted: readonly TrustedKey[], now: Date, limits?: ZipLimits) {
    this.worker = spawnWorker(new URL(`./import-reader.worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url), {
      // Bounded heaps keep peak memory flat. The young generation must hold a batch's worth of
      // short-lived task objects: at 24 MiB or less they were promoted and collected again by
      // full collections, a quarter of the reader's time; at 32-48 MiB that fell to ~5% for ~8 MB
      // more peak memory. The old generation holds little besides the set of task ids seen
      // (about 100 bytes a task), so 128 MiB leaves room for a million tasks.
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GEN_MB, maxOldGenerationSizeMb: OLD_GEN_MB },
    });
    this.worker.on('message', (m: ReaderMessage) => this.deliver(m));
    this.worker.on('error', (e) => this.deliver({ type: 'failed', kind: 'internal', message: e.stack ?? String(e) }));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.deliver({ type: 'failed', kind: 'internal', message: `the import reader stopped unexpectedly (exit ${code})` });
    });
    this.post({ type: 'start', path, trusted: [...trusted], nowIso: now.toISOString(), ...(limits ? { limits } : {}), ring: this.ring, slotBytes: SLOT_BYTES });
  }

  async header(): Promise<HeaderMessage> {
    const m = await this.next();
    if (m.type !== 'header') throw unexpected(m);
    return m;
  }

  /**
   * Validated batches, in bundle order, each with its bodies as one byte buffer (valid only
   * until the next batch is requested: the slot is then handed back to the reader). Ends after
   * the reader has checked the whole-file hash and task count.
   */
  async *batches(): AsyncGenerator<{ batch: BatchMessage; bodies: Buffer }> {
    this.post({ type: 'go' });
    for (;;) {
      const m = await this.next();
      if (m.type === 'done') return;
      if (m.type !== 'batch') throw unexpected(m);
      const bodies = m.bodies ? Buffer.from(m.bodies.buffer, m.bodies.byteOffset, m.bodies.byteLength) : Buffer.from(this.ring, m.slot! * SLOT_BYTES, SLOT_BYTES);
      yield { batch: m, bodies };
      this.post({ type: 'ack', slot: m.slot });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.worker.terminate();
  }

  private post(m: CoreMessage): void {
    this.worker.postMessage(m);
  }

  private deliver(m: ReaderMessage): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w(m);
    } else this.inbox.push(m);
  }

  private next(): Promise<ReaderMessage> {
    const m = this.inbox.shift();
    if (m) return m.type === 'failed' ? Promise.reject(failure(m)) : Promise.resolve(m);
    return new Promise((resolve, reject) => {
      this.waiting = (msg) => (msg.type === 'failed' ? reject(failure(msg)) : resolve(msg));
    });
  }
}

function unexpected(m: ReaderMessage): Error {
  return new Error(`import reader: unexpected "${m.type}" message`);
}

/** The reader's failure, in the words the user sees. */
export function failure(m: FailureMessage): Error {
  if (m.kind === 'refusal') return new ApiError('refused', withCode(`${m.message}; nothing was imported`, m.code));
  if (m.kind === 'problems') {
    return new ApiError(
      'validation_failed',
      `${withCode('the bundle is invalid; nothing was imported', 'invalid_content')}:\n${m.problems.map(formatProblem).join('\n')}`,
      m.problems.map((p) => ({ path: [p.file, p.line !== undefined ? `line ${p.line}` : null, p.field].filter(Boolean).join(': '), message: p.message })),
    );
  }
  return new Error(m.message);
}
