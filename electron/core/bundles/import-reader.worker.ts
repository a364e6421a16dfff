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
    let batch = newBatch(0);
    for await (const t of bundle.tasks()) {
      batch.add(t.task.id, t.task.kind, t.task.title ?? null, t.hash, t.bytes);
      count++;
      if (batch.size >= BATCH_TASKS || batch.bytes >= slotBytes) {
        await flush(batch);
        batch = newBatch(count);
      }
    }
    if (batch.size > 0) await flush(batch);
    send({ type: 'done', count });
  } catch (e) {
    if (e instanceof BundleRefusal) send({ type: 'failed', kind: 'refusal', message: e.message });
    else if (e instanceof ProblemsError) send({ type: 'failed', kind: 'problems', problems: e.problems });
    else send({ type: 'failed', kind: 'internal', message: (e as Error).stack ?? String(e) });
  } finally {
    bundle?.close();
  }
}

async function flush(batch: ReturnType<typeof newBatch>): Promise<void> {
  const oversize = batch.bytes > slotBytes;
  // An oversize batch (one huge task) still waits for a free slot, so it never runs ahead unbounded.
  while (freeSlots.length === 0 || (oversize && oversizeInFlight > 0)) await new Promise<void>((r) => (wake = r));
  if (oversize) {
    oversizeInFlight++;
    const msg = batch.message(null, new Uint8Array(batch.bytes));
    send(msg, [msg.bodies!.buffer as ArrayBuffer, msg.ends.buffer as ArrayBuffer]);
  } else {
    const slot = freeSlots.shift()!;
    const msg = batch.message(slot, ring.subarray(slot * slotBytes, (slot + 1) * slotBytes));
    send(msg, [msg.ends.buffer as ArrayBuffer]);
  }
}

function newBatch(first: number) {
  const ids: string[] = [];
  const kinds: TaskKind[] = [];
  const titles: (string | null)[] = [];
  const hashes: string[] = [];
  const parts: Buffer[] = [];
  const ends: number[] = [];
  let bytes = 0;
  return {
    get size() {
      return ids.length;
    },
    get bytes() {
      return bytes;
    },
    add(id: string, kind: TaskKind, title: string | null, hash: string, line: Buffer) {
      ids.push(id);
      kinds.push(kind);
      titles.push(title);
      hashes.push(hash);
      parts.push(line);
      bytes += line.length;
      ends.push(bytes);
    },
    /** Copies the bodies into `target` (a ring slot, or a buffer of their own when `slot` is null). */
    message(slot: number | null, target: Uint8Array): BatchMessage {
      let at = 0;
      for (const p of parts) {
        target.set(p, at);
        at += p.length;
      }
      return { type: 'batch', first, ids, kinds, titles, hashes, slot, bodies: slot === null ? target : null, ends: Uint32Array.from(ends) };
    },
  };
}
