import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { Core } from '../../electron/core/core.ts';
import { addTrustedKey } from '../../electron/core/trust/trust-store.ts';
import type { PublicJwk } from '../../shared/node/keys.ts';
import type { Role } from '../../shared/domain/index.ts';

export interface Workstation {
  dir: string;
  core: Core;
  dispose(): Promise<void>;
}

/** A fresh workstation data dir with a core at a fixed clock, trusting the given org keys. */
export async function workstation(opts: { now: Date; trust?: { jwk: PublicJwk; label: string }[]; role?: Role }): Promise<Workstation> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-ws-'));
  const core = await Core.open({ dataDir: join(dir, 'data'), host: 'web', now: () => opts.now });
  for (const k of opts.trust ?? []) addTrustedKey(core.ctx.db, { jwk: k.jwk, label: k.label, bundlePrefix: null }, opts.now);
  if (opts.role) {
    const r = await core.call('identity.setup', { displayName: `Test ${opts.role}`, role: opts.role });
    if (!r.ok) throw new Error(`identity.setup: ${r.error.message}`);
  }
  return {
    dir,
    core,
    dispose: async () => {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A digest of every row of every table (sorted, so it does not depend on page layout): two
 * equal digests mean a user could not tell the stores apart.
 */
export function storeDigest(db: Database): { digest: string; rows: Record<string, number> } {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const h = createHash('sha256');
  const rows: Record<string, number> = {};
  for (const t of tables) {
    const all = (db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]).map((r) => JSON.stringify(r)).sort();
    rows[t] = all.length;
    h.update(`${t}\n${all.join('\n')}\n`);
  }
  return { digest: h.digest('hex'), rows };
}
