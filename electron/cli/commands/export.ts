import { ExportVerifyError, verifyExport } from '../../../shared/node/export/index.ts';
import { fingerprint, toPublic } from '../../../shared/node/keys.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';
import { readPublicKey } from '../keyfile.ts';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiError } from '../../../shared/contract/index.ts';
import { runWorkstationExport } from '../../core/export/run-export.ts';
import { exportReport, parseExportArgs, type ExportArgs } from '../export-args.ts';
import { openWorkstation } from '../workstation.ts';

const EXPORT_USAGE = 'casebook export --data DIR --format F[,F…] --out DIR [--policy adjudicated|unanimous|majority|all] [--pairing all-pairs|adjacent|best-vs-rest] [--conversational] [--from-trajectories] [--bundle ID] [--version N] [--kind K] [--min-agreement X] [--include-gold] [--include-escalated] [--current-model-only] [--parquet]';

/**
 * `casebook export`: everything this workstation holds (its own work and work received from
 * others) as training data in a new folder, with the signed manifest and the dataset card.
 */
export async function exportWorkstation(io: Io, dataDir: string | undefined, e: ExportArgs & { out: string | undefined; passphraseFile?: string | undefined }): Promise<void> {
  if (!dataDir || !e.out) throw new CliError(`usage: ${EXPORT_USAGE}`, 2);
  const parsed = parseExportArgs(e);
  const dir = resolve(dataDir);
  if (!existsSync(join(dir, 'casebook.sqlite'))) throw new CliError(`${dir}: no Casebook data here (casebook.sqlite is missing)`);
  const core = await openWorkstation(io, dir, { passphraseFile: e.passphraseFile });
  try {
    const r = await runWorkstationExport(core.ctx, { formats: parsed.formats, options: parsed.options, parquet: parsed.parquet, outDir: e.out, generator: 'casebook cli' });
    for (const line of exportReport(r.dir, r.manifest)) io.out(line);
    const pub = toPublic((await core.ctx.keyVault.load())!);
    io.err(`manifest signed with this workstation's device key ${fingerprint(pub)}; save its public key to check the export (casebook export verify ${e.out} --trust FILE):\n${JSON.stringify(pub)}`);
  } catch (err) {
    if (err instanceof ApiError) throw new CliError(err.message);
    throw err;
  } finally {
    await core.close();
  }
}

/**
 * `casebook export verify DIR --trust KEY`: the signed manifest against the exporting key, then
 * every file's size and SHA-256. Exit 1 with the file named on any difference.
 */
export async function exportVerify(io: Io, dir: string | undefined, trust: string | undefined): Promise<void> {
  if (!dir || !trust) throw new CliError('usage: casebook export verify DIR --trust KEY.jwk[,KEY.jwk…]  (the public key of the workstation or server that exported)', 2);
  const keys = await Promise.all(trust.split(',').filter(Boolean).map(async (f) => (await readPublicKey(f)).jwk));
  try {
    const v = await verifyExport(dir, keys);
    io.out(`${dir}: verified — signed by key ${fingerprint(v.signer)}, ${v.manifest.files.length} files as signed, manifest ${v.manifestSha256}`);
    for (const d of v.manifest.datasets) io.out(`  ${d.format}: ${d.rows} rows`);
  } catch (e) {
    if (e instanceof ExportVerifyError) throw new CliError(`${dir}: NOT verified: ${e.message}`);
    throw e;
  }
}
