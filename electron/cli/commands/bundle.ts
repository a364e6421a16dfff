import { resolve } from 'node:path';
import { ApiError } from '../../../shared/contract/index.ts';
import { BundleRefusal, ProblemsError, buildBundle, formatProblem, openBundle } from '../../../shared/node/bundle/index.ts';
import { fingerprint } from '../../../shared/node/keys.ts';
import { Core } from '../../core/core.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';
import { readPrivateKey, readPublicKey } from '../keyfile.ts';

export async function bundleBuild(io: Io, src: string | undefined, keyFile: string | undefined, out: string | undefined): Promise<void> {
  if (!src || !keyFile || !out) throw new CliError('usage: casebook bundle build SRC_DIR --key FILE --out FILE.cbundle', 2);
  const key = await readPrivateKey(keyFile);
  try {
    const r = await buildBundle({ sourceDir: resolve(src), key, outFile: resolve(out), onProgress: (n) => io.err(`validated ${n} tasks…`) });
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
  const { jwk, label } = await readPublicKey(trustFile);
  try {
    const b = await openBundle(resolve(file), [{ jwk, label: label ?? trustFile, bundlePrefix: null }]);
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
          signer: { keyId: b.signerKeyId, fingerprint: fingerprint(jwk) },
          createdAt: b.manifest.createdAt,
          expiresAt: b.manifest.expiresAt,
        }),
      );
    } finally {
      b.close();
    }
  } catch (e) {
    if (e instanceof BundleRefusal) throw new CliError(`${file}: refused: ${e.message}`);
    if (e instanceof ProblemsError) throw new CliError(`${file}: invalid:\n${e.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    throw e;
  }
}

export async function bundleImport(io: Io, file: string | undefined, dataDir: string | undefined, trustFile: string | undefined): Promise<void> {
  if (!file || !dataDir) throw new CliError('usage: casebook bundle import FILE --data DIR [--trust PUBFILE]', 2);
  // --trust names a key for this one import; without it the workstation's trust store decides.
  const once = trustFile ? await readPublicKey(trustFile) : null;
  const core = await Core.open({ dataDir: resolve(dataDir), host: 'web' });
  try {
    const r = await core.importBundle(resolve(file), {
      ...(once ? { trusted: [{ jwk: once.jwk, label: once.label ?? trustFile!, bundlePrefix: null }] } : {}),
      onProgress: (done, total) => io.err(`imported ${done}/${total} tasks`),
    });
    io.out(JSON.stringify(r));
  } catch (e) {
    if (e instanceof ApiError) throw new CliError(`${file}: ${e.message}`);
    throw e;
  } finally {
    await core.close();
  }
}
