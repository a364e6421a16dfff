import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiError, type TrustedKeyView } from '../../../shared/contract/index.ts';
import { signRotation } from '../../../shared/node/rotation.ts';
import { openWorkstation } from '../workstation.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';
import { readPrivateKey, readPublicKey } from '../keyfile.ts';

/** What the trust.* methods return, as the contract defines it. */
type KeyRow = TrustedKeyView;

/** Runs one contract call against a workstation data dir, as the app would. */
async function withCore<T>(io: Io, dataDir: string | undefined, usage: string, fn: (call: (method: string, req: unknown) => Promise<unknown>) => Promise<T>): Promise<T> {
  if (!dataDir) throw new CliError(usage, 2);
  const dir = resolve(dataDir);
  // The command line acts for whoever controls the data directory: no role check (see CoreOptions.operator).
  const core = await openWorkstation(io, dir, { operator: true });
  try {
    return await fn(async (method, req) => {
      const r = await core.call(method, req);
      if (!r.ok) throw new ApiError(r.error.code, r.error.message, r.error.issues);
      return r.result;
    });
  } catch (e) {
    if (e instanceof ApiError) throw new CliError(e.message);
    throw e;
  } finally {
    await core.close();
  }
}

const line = (k: KeyRow) => `${k.fingerprint}  ${k.label}${k.bundlePrefix ? `  (only ${k.bundlePrefix}* bundles)` : ''}${k.endorsedByFingerprint ? `  (endorsed by ${k.endorsedByFingerprint})` : ''}\n    key id ${k.keyId}, added ${k.addedAt}`;

export async function trustList(io: Io, dataDir: string | undefined, json: boolean): Promise<void> {
  const keys = (await withCore(io, dataDir, 'usage: casebook trust list --data DIR [--json]', (call) => call('trust.list', {}))) as KeyRow[];
  if (json) io.out(JSON.stringify(keys, null, 2));
  else if (keys.length === 0) io.out('no trusted keys: bundles cannot be imported until one is added (casebook trust add)');
  else for (const k of keys) io.out(line(k));
}

export async function trustAdd(io: Io, pubFile: string | undefined, dataDir: string | undefined, label: string | undefined, prefix: string | undefined): Promise<void> {
  const usage = 'usage: casebook trust add PUBKEY.jwk --data DIR [--label TEXT] [--prefix BUNDLE_ID_PREFIX]';
  if (!pubFile) throw new CliError(usage, 2);
  const { jwk, label: fileLabel } = await readPublicKey(pubFile);
  const name = label ?? fileLabel;
  if (!name) throw new CliError(`${pubFile}: give the key a --label (the key file has none)`, 2);
  const k = (await withCore(io, dataDir, usage, (call) => call('trust.add', { jwk, label: name, bundlePrefix: prefix ?? null }))) as KeyRow;
  io.out(line(k));
  io.err('compare this fingerprint with the one the admin reads out before importing bundles signed by it');
}

export async function trustRemove(io: Io, ref: string | undefined, dataDir: string | undefined): Promise<void> {
  const usage = 'usage: casebook trust remove KEY_ID_OR_FINGERPRINT --data DIR';
  if (!ref) throw new CliError(usage, 2);
  const k = (await withCore(io, dataDir, usage, (call) => call('trust.remove', { key: ref }))) as KeyRow;
  io.out(`removed: ${k.fingerprint}  ${k.label}`);
}

export async function trustRotate(io: Io, statementFile: string | undefined, dataDir: string | undefined): Promise<void> {
  const usage = 'usage: casebook trust rotate STATEMENT.json --data DIR';
  if (!statementFile) throw new CliError(usage, 2);
  let statement: string;
  try {
    statement = await readFile(statementFile, 'utf8');
  } catch (e) {
    throw new CliError(`${statementFile}: cannot read the rotation statement (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const k = (await withCore(io, dataDir, usage, (call) => call('trust.rotate', { statement }))) as KeyRow;
  io.out(`now trusted: ${line(k)}`);
}

/** keys rotate --old OLD.jwk --new NEW.jwk --label TEXT --out FILE: the admin side of a rotation. */
export async function keysRotate(io: Io, oldFile: string | undefined, newFile: string | undefined, label: string | undefined, out: string | undefined): Promise<void> {
  if (!oldFile || !newFile || !label || !out) throw new CliError('usage: casebook keys rotate --old OLD.private.jwk --new NEW.private.jwk --label TEXT --out STATEMENT.json', 2);
  if (existsSync(out)) throw new CliError(`${out}: already exists; refusing to overwrite`);
  const envelope = signRotation(await readPrivateKey(oldFile), await readPrivateKey(newFile), label);
  await writeFile(out, JSON.stringify(envelope, null, 2) + '\n', { flag: 'wx' });
  io.out(resolve(out));
  io.err(`workstations apply it with: casebook trust rotate ${join('.', out)} --data DIR (or in Settings)`);
}
