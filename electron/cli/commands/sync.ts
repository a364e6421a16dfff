import { existsSync } from 'node:fs';
import { count } from '../../../shared/text/plural.ts';
import { join, resolve } from 'node:path';
import type { Core } from '../../core/core.ts';
import { openWorkstation } from '../workstation.ts';
import { getIdentity } from '../../core/identity/identity.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';
import { ApiError } from '../../../shared/contract/index.ts';

async function openCore(io: Io, dataDir: string | undefined, usage: string): Promise<Core> {
  if (!dataDir) throw new CliError(`usage: ${usage}`, 2);
  const dir = resolve(dataDir);
  if (!existsSync(join(dir, 'casebook.sqlite'))) throw new CliError(`${dir}: no Casebook data here (casebook.sqlite is missing)`);
  return openWorkstation(io, dir);
}

async function withCore(io: Io, dataDir: string | undefined, usage: string, fn: (core: Core) => Promise<void>): Promise<void> {
  const core = await openCore(io, dataDir, usage);
  try {
    await fn(core);
  } catch (e) {
    if (e instanceof ApiError) throw new CliError(e.message);
    throw e;
  } finally {
    await core.close();
  }
}

export async function enrol(io: Io, dataDir: string | undefined, server: string | undefined, token: string | undefined): Promise<void> {
  const usage = 'casebook enrol --data DIR --server URL --token TOKEN';
  if (!server || !token) throw new CliError(`usage: ${usage}`, 2);
  await withCore(io, dataDir, usage, async (core) => {
    const s = await core.sync.enrol(server, token);
    // The token decided who this workstation is for, and in which role: say so.
    const who = await core.exclusive(() => getIdentity(core.ctx));
    io.out(`enrolled device ${s.deviceId} with ${s.serverUrl}${who ? ` for ${who.displayName} as ${who.role}` : ''}`);
  });
}

export async function syncNow(io: Io, dataDir: string | undefined, json: boolean): Promise<void> {
  await withCore(io, dataDir, 'casebook sync --data DIR [--json]', async (core) => {
    const outcome = await core.sync.syncNow();
    const status = await core.exclusive(() => core.sync.status());
    if (json) io.out(JSON.stringify({ outcome, status }, null, 2));
    else io.out(`${count(outcome.sentBatches, 'batch')} sent; ${count(status.outbox.unsent, 'record')} waiting; ${count(status.outbox.sentBatches, 'batch')} acknowledged in total`);
    if (outcome.state === 'offline') throw new CliError(outcome.message, 3);
    if (outcome.state === 'refused') throw new CliError(`the server refused batch ${outcome.seq}: ${outcome.message}`, 4);
  });
}

export async function batchesExport(io: Io, dataDir: string | undefined, out: string | undefined, from: string | undefined, to: string | undefined): Promise<void> {
  const usage = 'casebook batches export --data DIR --out DIR [--from SEQ] [--to SEQ]';
  if (!out) throw new CliError(`usage: ${usage}`, 2);
  const seq = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new CliError(`--${name}: "${v}" is not a batch number`, 2);
    return n;
  };
  const range = { fromSeq: seq(from, 'from'), toSeq: seq(to, 'to') };
  await withCore(io, dataDir, usage, async (core) => {
    const files = await core.sync.exportBatches(resolve(out), { ...(range.fromSeq ? { fromSeq: range.fromSeq } : {}), ...(range.toSeq ? { toSeq: range.toSeq } : {}) });
    for (const f of files) io.out(f);
    io.err(`${files.length} signed batch files written to ${resolve(out)}`);
  });
}

export async function pull(io: Io, dataDir: string | undefined): Promise<void> {
  await withCore(io, dataDir, 'casebook pull --data DIR', async (core) => {
    const r = await core.sync.pull();
    for (const b of r.imported) io.out(`imported ${b.bundleId} v${b.version}`);
    for (const f of r.failed) io.err(`${f.bundleId} v${f.version}: not imported — ${f.message}`);
    if (r.imported.length === 0 && r.failed.length === 0) io.out('no new bundle versions');
    if (r.failed.length > 0) throw new CliError(`${r.failed.length} bundle${r.failed.length === 1 ? '' : 's'} not imported`);
  });
}

/** casebook batches import FILE... --data WORKSTATION_DIR: a reviewer receiving work by hand. */
export async function workstationImportBatches(io: Io, dataDir: string | undefined, files: string[]): Promise<void> {
  if (files.length === 0) throw new CliError('usage: casebook batches import FILE... --data DIR', 2);
  await withCore(io, dataDir, 'casebook batches import FILE... --data DIR', async (core) => {
    const results = await core.sync.importBatchFiles(files);
    let refused = 0;
    for (const r of results) {
      if (r.ok) io.out(`${r.file}: ${r.duplicate ? 'already held' : 'accepted'} (${r.deviceId} batch ${r.seq})`);
      else {
        refused++;
        io.err(`${r.file}: refused — ${r.message}`);
      }
    }
    if (refused > 0) throw new CliError(`${refused} of ${results.length} batch files refused`);
  });
}

export async function reviewPull(io: Io, dataDir: string | undefined): Promise<void> {
  await withCore(io, dataDir, 'casebook review pull --data DIR', async (core) => {
    const r = await core.sync.pullReviews();
    io.out(`${count(r.received, 'new batch', 'new batches')} from ${count(r.devices, 'other device')}`);
    for (const f of r.failed) io.err(`${f.deviceId} batch ${f.seq}: refused — ${f.message}`);
    if (r.failed.length > 0) throw new CliError(`${count(r.failed.length, 'batch')} refused`);
  });
}
