import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiError } from '../../../shared/contract/index.ts';
import { DeriveError } from '../../../shared/node/bundle/derive.ts';
import { deriveNextSource } from '../../core/export/derive.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';
import { openWorkstation } from '../workstation.ts';

const DERIVE_USAGE = 'usage: casebook bundle derive BUNDLE_ID --from-failures --data DIR --out SRC_DIR [--below N] [--passphrase-file F]';

/**
 * `casebook bundle derive`: the next version's source folder of an installed bundle, with an
 * exemplar task per documented failure and the guideline candidates as a draft section.
 * `casebook bundle build SRC_DIR` signs it once the admin has edited it.
 */
export async function bundleDerive(io: Io, bundleId: string | undefined, f: { fromFailures: boolean; data: string | undefined; out: string | undefined; below: string | undefined; passphraseFile?: string | undefined }): Promise<void> {
  if (!bundleId || !f.data || !f.out) throw new CliError(DERIVE_USAGE, 2);
  if (!f.fromFailures) throw new CliError(`say what to derive from: --from-failures (the only source so far)\n${DERIVE_USAGE}`, 2);
  const below = f.below === undefined ? 3 : Number(f.below);
  if (!Number.isInteger(below)) throw new CliError(`--below: "${f.below}" is not a whole number (a draft score under it counts as a failure)`, 2);
  const dir = resolve(f.data);
  if (!existsSync(join(dir, 'casebook.sqlite'))) throw new CliError(`${dir}: no Casebook data here (casebook.sqlite is missing)`);
  const core = await openWorkstation(io, dir, { passphraseFile: f.passphraseFile });
  try {
    const r = await deriveNextSource(core.ctx, bundleId, resolve(f.out), { draftScoreBelow: below });
    const kinds = Object.entries(r.byKind).map(([k, n]) => `${n} ${k}`).join(', ');
    io.out(`${r.dir}: source of ${bundleId} v${r.version}: ${r.derived} exemplar tasks from failures${kinds ? ` (${kinds})` : ''}${r.alreadyPresent > 0 ? `, ${r.alreadyPresent} already in the bundle` : ''}; ${r.candidates} guideline candidates in a draft section of guidelines.md`);
    io.err(`edit it, then: casebook bundle build ${f.out} --key ORGKEY --out FILE.cbundle`);
  } catch (e) {
    if (e instanceof ApiError || e instanceof DeriveError) throw new CliError(e.message);
    throw e;
  } finally {
    await core.close();
  }
}
