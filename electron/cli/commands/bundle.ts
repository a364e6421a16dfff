import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ApiError } from '../../../shared/contract/index.ts';
import { BundleRefusal, ProblemsError, PublishError, buildBundle, withCode, formatProblem, inspectBundle, openBundle, publishBundle, type TaskInput, type TrustedKey } from '../../../shared/node/bundle/index.ts';
import { listTrustedKeys } from '../../core/trust/trust-store.ts';
import { fingerprint } from '../../../shared/node/keys.ts';
import { openWorkstation } from '../workstation.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';
import { readPrivateKey, readTrustFile } from '../keyfile.ts';

export interface BuildFlags {
  key?: string | undefined;
  out?: string | undefined;
  fromJsonl?: string | undefined;
  fromCsv?: string | undefined;
  mapping?: string | undefined;
  rotation?: string | undefined;
}

const BUILD_USAGE = 'usage: casebook bundle build SRC_DIR --key FILE --out FILE.cbundle [--from-jsonl FILE | --from-csv FILE] [--mapping MAP.json] [--rotation STATEMENT.json]';

function taskInput(f: BuildFlags): TaskInput {
  if (f.fromJsonl && f.fromCsv) throw new CliError('give --from-jsonl or --from-csv, not both', 2);
  const file = f.fromJsonl ?? f.fromCsv;
  if (!file) {
    if (f.mapping) throw new CliError('--mapping goes with --from-jsonl or --from-csv', 2);
    return { from: 'folder' };
  }
  if (!f.mapping) throw new CliError(`--from-${f.fromJsonl ? 'jsonl' : 'csv'} needs --mapping MAP.json (how fields become tasks)`, 2);
  return { from: f.fromJsonl ? 'jsonl' : 'csv', file: resolve(file), mappingFile: resolve(f.mapping) };
}

export async function bundleBuild(io: Io, src: string | undefined, flags: BuildFlags): Promise<void> {
  const { key: keyFile, out } = flags;
  if (!src || !keyFile || !out) throw new CliError(BUILD_USAGE, 2);
  const tasks = taskInput(flags);
  const key = await readPrivateKey(keyFile);
  try {
    const r = await buildBundle({
      sourceDir: resolve(src),
      tasks,
      key,
      outFile: resolve(out),
      ...(flags.rotation ? { rotationFile: resolve(flags.rotation) } : {}),
      onProgress: (n) => io.err(`validated ${n} tasks…`),
    });
    io.out(
      JSON.stringify({
        file: out,
        bundleId: r.manifest.bundleId,
        version: r.manifest.version,
        tasks: r.manifest.taskCount,
        kinds: r.taskCounts,
        expiresAt: r.manifest.expiresAt,
      }),
    );
  } catch (e) {
    if (e instanceof ProblemsError) {
      throw new CliError(`${src}: ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'}, no bundle written:\n${e.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    }
    throw e;
  }
}

export async function bundleVerify(io: Io, file: string | undefined, trustFile: string | undefined): Promise<void> {
  if (!file || !trustFile) throw new CliError('usage: casebook bundle verify FILE --trust PUBFILE', 2);
  const key = await readTrustFile(trustFile);
  try {
    const b = await openBundle(resolve(file), [key]);
    try {
      let n = 0;
      for await (const _ of b.tasks()) n++;
      io.out(
        JSON.stringify({
          ok: true,
          bundleId: b.manifest.bundleId,
          version: b.manifest.version,
          title: b.manifest.title,
          tasks: n,
          signer: { keyId: b.signerKeyId, fingerprint: fingerprint(b.signer.jwk), label: b.signer.label },
          createdAt: b.manifest.createdAt,
          expiresAt: b.manifest.expiresAt,
        }),
      );
    } finally {
      b.close();
    }
  } catch (e) {
    throw readRefusal(file, e);
  }
}

export async function bundleImport(io: Io, file: string | undefined, dataDir: string | undefined, trustFile: string | undefined, label?: string): Promise<void> {
  if (!file || !dataDir) throw new CliError('usage: casebook bundle import FILE --data DIR [--trust PUBFILE [--label TEXT]]', 2);
  if (label !== undefined && !trustFile) throw new CliError('--label names the key given with --trust; give --trust PUBFILE too', 2);
  // --trust names a key for this one import; without it the workstation's trust store decides.
  const once = trustFile ? await readTrustFile(trustFile, label) : null;
  const core = await openWorkstation(io, dataDir);
  try {
    const r = await core.importBundle(resolve(file), {
      ...(once ? { trusted: [once] } : {}),
      onProgress: (done, total) => io.err(`imported ${done}/${total} tasks`),
    });
    io.out(JSON.stringify(r));
  } catch (e) {
    // "refused:" as verify and inspect say it, so one pattern matches all three.
    if (e instanceof ApiError) throw new CliError(`${file}: ${e.code === 'refused' ? 'refused: ' : ''}${e.message}`);
    throw e;
  } finally {
    await core.close();
  }
}

/** Trust for commands that read a bundle without importing it: a key file, or a workstation's trust store. */
async function trustFor(io: Io, trustFile: string | undefined, dataDir: string | undefined, usage: string): Promise<TrustedKey[]> {
  if (trustFile) return [await readTrustFile(trustFile)];
  if (!dataDir) throw new CliError(usage, 2);
  const core = await openWorkstation(io, dataDir);
  try {
    return await core.exclusive(() => listTrustedKeys(core.ctx.db));
  } finally {
    await core.close();
  }
}

export async function bundleInspect(io: Io, file: string | undefined, trustFile: string | undefined, dataDir: string | undefined, json: boolean): Promise<void> {
  const usage = 'usage: casebook bundle inspect FILE (--trust PUBFILE | --data DIR) [--json]';
  if (!file) throw new CliError(usage, 2);
  const trusted = await trustFor(io, trustFile, dataDir, usage);
  try {
    const r = await inspectBundle(resolve(file), trusted);
    if (json) {
      io.out(JSON.stringify(r, null, 2));
      return;
    }
    const m = r.manifest;
    io.out(`${m.bundleId} v${m.version}  ${m.title}`);
    io.out(`signed by  ${r.signer.label}  (fingerprint ${r.signer.fingerprint})`);
    io.out(`created    ${m.createdAt}\nexpires    ${m.expiresAt}`);
    io.out(`tasks      ${m.taskCount}: ${Object.entries(r.counts).map(([k, n]) => `${n} ${k}`).join(', ')}; ${r.goldCount} with gold answers`);
    if (r.assignment) io.out(`assignment ${r.assignment.perTask} annotator(s) per task${r.assignment.annotators ? ` from: ${r.assignment.annotators.join(', ')}` : ''}`);
    io.out('files');
    for (const f of m.files) io.out(`  ${f.path.padEnd(14)} ${String(f.size).padStart(12)} bytes  sha256 ${f.sha256}`);
    if (r.sample) io.out(`sample task\n${JSON.stringify(r.sample, null, 2)}`);
  } catch (e) {
    throw readRefusal(file, e);
  }
}

export interface PublishFlags {
  server?: string | undefined;
  adminToken?: string | undefined;
  adminTokenFile?: string | undefined;
  trust?: string | undefined;
}

const PUBLISH_USAGE = 'usage: casebook bundle publish FILE --server URL [--admin-token-file FILE | --admin-token TOKEN] [--trust PUBFILE]  (or set CASEBOOK_ADMIN_TOKEN)';

/**
 * The admin token, from a file or the environment so it stays out of shell history, or from
 * the command line if it must.
 */
async function adminToken(flags: PublishFlags): Promise<string> {
  if (flags.adminToken !== undefined && flags.adminTokenFile !== undefined) throw new CliError('give --admin-token or --admin-token-file, not both', 2);
  if (flags.adminTokenFile !== undefined) {
    let text: string;
    try {
      text = await readFile(flags.adminTokenFile, 'utf8');
    } catch (e) {
      throw new CliError(`${flags.adminTokenFile}: cannot read the admin token (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const token = text.trim();
    if (token === '' || /\s/.test(token)) throw new CliError(`${flags.adminTokenFile}: expected the admin token alone on one line`);
    return token;
  }
  const token = flags.adminToken ?? process.env.CASEBOOK_ADMIN_TOKEN;
  if (!token || token.trim() === '') throw new CliError(`no admin token: put it in a file and give --admin-token-file FILE, or set CASEBOOK_ADMIN_TOKEN\n${PUBLISH_USAGE}`, 2);
  return token.trim();
}

export async function bundlePublish(io: Io, file: string | undefined, flags: PublishFlags): Promise<void> {
  if (!file || !flags.server) throw new CliError(PUBLISH_USAGE, 2);
  const token = await adminToken(flags);
  const trusted = flags.trust ? [await readTrustFile(flags.trust)] : undefined;
  try {
    const r = await publishBundle({ file: resolve(file), serverUrl: flags.server, adminToken: token, ...(trusted ? { trusted } : {}) });
    io.err(r.status === 'stored' ? `published ${r.bundleId} v${r.version} to ${flags.server}: workstations get it from "Check for new bundles"` : `${r.bundleId} v${r.version} is already on ${flags.server} with these exact bytes; nothing changed`);
    io.out(JSON.stringify(r));
  } catch (e) {
    if (e instanceof PublishError) throw new CliError(e.message);
    throw e;
  }
}

/** A bundle that verify or inspect refused, in the same words and with the same code as an import. */
function readRefusal(file: string, e: unknown): unknown {
  if (e instanceof BundleRefusal) return new CliError(`${file}: refused: ${withCode(e.message, e.code)}`);
  if (e instanceof ProblemsError) return new CliError(`${file}: ${withCode('invalid', e.code)}:\n${e.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  return e;
}
