import { parentPort } from 'node:worker_threads';
// Direct imports, not the bundle index: the reader thread should load only what it runs.
import { BundleRefusal, openBundle, type OpenedBundle } from '../../../shared/node/bundle/open.ts';
import { ProblemsError } from '../../../shared/node/bundle/problems.ts';
import type { TaskKind } from '../../../shared/domain/index.ts';
import type { BatchMessage, CoreMessage, ReaderMessage, StartMessage } from './import-protocol.ts';

/**
 * The import reader thread: verifies the bundle, inflates, hashes, parses and validates every
 * task off the core's thread, and hands validated rows over in batches. It never touches the
 * database, so everything it does is free of side effects until the core commits.
 */
const port = parentPort!;
const BATCH_TASKS = 2000;

/** Free ring slots; a batch waits for one, which bounds memory however fast this side runs. */
let freeSlots: number[] = [];
let oversizeInFlight = 0;
let wake: (() => void) | null = null;
let go: (() => void) | null = null;
let ring: Uint8Array = new Uint8Array(0);
let slotBytes = 0;

port.on('message', (m: CoreMessage) => {
  if (m.type === 'start') void run(m);
  else if (m.type === 'go') go?.();
  else if (m.type === 'ack') {
    if (m.slot === null) oversizeInFlight--;
    else freeSlots.push(m.slot);
    wake?.();
  }
});

const send = (m: ReaderMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function run(start: StartMessage): Promise<void> {
  ring = new Uint8Array(start.ring);
  slotBytes = start.slotBytes;
  freeSlots = Array.from({ length: Math.floor(start.ring.byteLength / start.slotBytes) }, (_, i) => i);
  let bundle: OpenedBundle | undefined;
  try {
    bundle = await openBundle(start.path, start.trusted, { now: new Date(start.nowIso), ...(start.limits ? { limits: start.limits } : {}) });
    const proceed = new Promise<void>((r) => (go = r));
    send({
      type: 'header',
      manifest: bundle.manifest,
      manifestSha256: bundle.manifestSha256,
      signerKeyId: bundle.signerKeyId,
      signerLabel: bundle.signer.label,
      rotation: bundle.rotation,
      settings: bundle.settings,
      guidelines: bundle.guidelines,
      rubric: bundle.rubric,
      taxonomy: bundle.taxonomy,
    });
    await proceed;
    let count = 0;
    let batch: Batch | null = null;
    for await (const run of bundle.taskRuns()) {
      for (const t of run) {
        if (batch && (batch.size >= BATCH_TASKS || !batch.fits(t.bytes.length))) {
          batch.send();
          batch = null;
        }
        batch ??= await openBatch(count, t.bytes.length);
        batch.add(t.task.id, t.task.kind, t.task.title ?? null, t.bytes);
        count++;
      }
    }
    batch?.send();
    send({ type: 'done', count });
  } catch (e) {
    if (e instanceof BundleRefusal) send({ type: 'failed', kind: 'refusal', code: e.code, message: e.message });
    else if (e instanceof ProblemsError) send({ type: 'failed', kind: 'problems', problems: e.problems });
    else send({ type: 'failed', kind: 'internal', message: (e as Error).stack ?? String(e) });
  } finally {
    bundle?.close();
  }
}

/**
 * Waits for room, then starts a batch in a free ring slot, or, for a task larger than a slot,
 * in a buffer of its own (one such in flight at a time, and only while a slot is free, so a
 * run of huge tasks cannot get ahead of the core either).
 */
async function openBatch(first: number, firstBytes: number): Promise<Batch> {
  const oversize = firstBytes > slotBytes;
  while (freeSlots.length === 0 || (oversize && oversizeInFlight > 0)) await new Promise<void>((r) => (wake = r));
  if (oversize) {
    oversizeInFlight++;
    return new Batch(first, null, new Uint8Array(firstBytes));
  }
  const slot = freeSlots.shift()!;
  return new Batch(first, slot, ring.subarray(slot * slotBytes, (slot + 1) * slotBytes));
}

/**
 * A batch being filled. Each task line is copied into the batch's memory as it comes, so no
 * batch keeps inflated chunks (or views of them) alive until it is sent.
 */
class Batch {
  private readonly ids: string[] = [];
  private readonly kinds: TaskKind[] = [];
  private readonly titles: (string | null)[] = [];
  private readonly ends: number[] = [];
  private bytes = 0;

  constructor(
    private readonly first: number,
    private readonly slot: number | null,
    private readonly target: Uint8Array,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  fits(lineBytes: number): boolean {
    return this.bytes + lineBytes <= this.target.length;
  }

  add(id: string, kind: TaskKind, title: string | null, line: Uint8Array): void {
    this.target.set(line, this.bytes);
    this.bytes += line.length;
    this.ids.push(id);
    this.kinds.push(kind);
    this.titles.push(title);
    this.ends.push(this.bytes);
  }

  send(): void {
    const ends = Uint32Array.from(this.ends);
    const msg: BatchMessage = { type: 'batch', first: this.first, ids: this.ids, kinds: this.kinds, titles: this.titles, slot: this.slot, bodies: this.slot === null ? this.target : null, ends };
    send(msg, this.slot === null ? [this.target.buffer as ArrayBuffer, ends.buffer] : [ends.buffer]);
  }
}
