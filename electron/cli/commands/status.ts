import { existsSync } from 'node:fs';
import { count } from '../../../shared/text/plural.ts';
import { join, resolve } from 'node:path';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';
import { listBundles } from '../../core/bundles/queries.ts';
import { getIdentity } from '../../core/identity/identity.ts';
import { keyId } from '../../../shared/node/keys.ts';
import { openWorkstation } from '../workstation.ts';

interface Row {
  id: string;
  version: number;
  title: string;
  tasks: number;
  annotations: { draft: number; submitted: number; revisions: number };
}

export async function status(io: Io, dataDir: string | undefined, json: boolean): Promise<void> {
  if (!dataDir) throw new CliError('usage: casebook status --data DIR [--json]', 2);
  const dir = resolve(dataDir);
  if (!existsSync(join(dir, 'casebook.sqlite'))) throw new CliError(`${dir}: no Casebook data here (casebook.sqlite is missing)`);
  const core = await openWorkstation(io, dir);
  try {
    const rows: Row[] = await core.exclusive(() =>
      listBundles(core.ctx, null).map((b) => {
        const counts = core.ctx.db
          .prepare(
            `SELECT SUM(status = 'draft') AS draft, SUM(status = 'submitted') AS submitted, COUNT(*) AS revisions
             FROM annotations WHERE bundle_id = ?`,
          )
          .get(b.id) as { draft: number | null; submitted: number | null; revisions: number };
        return {
          id: b.id,
          version: b.version,
          title: b.title,
          tasks: b.taskCount,
          annotations: { draft: counts.draft ?? 0, submitted: counts.submitted ?? 0, revisions: counts.revisions },
        };
      }),
    );
    // The device's public key, so a .cbatch this workstation wrote can be checked by hand.
    const who = await core.exclusive(() => getIdentity(core.ctx));
    const device = who
      ? { deviceId: who.deviceId, userId: who.userId, displayName: who.displayName, role: who.role, keyId: keyId(who.devicePublicKey), fingerprint: who.deviceFingerprint, publicKey: who.devicePublicKey }
      : null;
    if (json) io.out(JSON.stringify({ dataDir: dir, device, bundles: rows }, null, 2));
    else if (rows.length === 0) io.out('no bundles installed');
    else for (const r of rows) io.out(`${r.id} v${r.version}  ${count(r.tasks, 'task')}  ${r.annotations.submitted} submitted, ${count(r.annotations.draft, 'draft')}  ${r.title}`);
  } finally {
    await core.close();
  }
}
