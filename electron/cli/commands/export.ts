import { ExportVerifyError, verifyExport } from '../../../shared/node/export/index.ts';
import { fingerprint } from '../../../shared/node/keys.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';
import { readPublicKey } from '../keyfile.ts';

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
