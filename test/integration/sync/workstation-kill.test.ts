import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { fillOutbox, openWorkstation, startTestServer, tempDir, enrolWorkstation } from './helpers.ts';
import { sigkill, spawnTs, waitFor } from './processes.ts';

const tmp = tempDir('cb-wskill-');
afterAll(() => tmp.cleanup());

const TARGET = 2000;

/** Runs the worker, SIGKILLing it at random moments `kills` times, then lets it finish. */
async function runWithKills(mode: 'fill' | 'push', dataDir: string, kills: number, done: RegExp): Promise<number> {
  let killed = 0;
  for (;;) {
    const child = spawnTs(['test/integration/sync/fixtures/ws-worker.ts', mode, dataDir, String(TARGET)]);
    if (killed < kills) {
      // Aim inside the work: after the store is open, at a random moment of sealing or pushing.
      await waitFor(child, /READY/);
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      if (child.proc.exitCode === null) {
        await sigkill(child);
        killed++;
        continue;
      }
    }
    await waitFor(child, done, 60_000);
    await child.exited;
    return killed;
  }
}

describe('the workstation core is killed during sealing and during push', () => {
  it('on restart nothing is lost or duplicated, on either side', async () => {
    const server = await startTestServer(`${tmp.dir}/server`);
    const dataDir = `${tmp.dir}/ws`;
    try {
      const { core, who } = await openWorkstation(dataDir);
      await enrolWorkstation(core, server);
      await fillOutbox(core, who, 10); // something already waiting before the first kill
      await core.close();
      void who;

      const sealKills = await runWithKills('fill', dataDir, 4, /FILLED/);
      const ws = new BetterSqlite3(`${dataDir}/casebook.sqlite`, { readonly: true });
      const sealed = ws.prepare('SELECT (SELECT COUNT(*) FROM outbox) AS records, (SELECT COUNT(*) FROM outbox WHERE id > (SELECT MAX(last_outbox_id) FROM sync_batches)) AS unsealed, (SELECT COALESCE(SUM(record_count), 0) FROM sync_batches) AS inBatches, (SELECT COUNT(*) FROM sync_batches WHERE state = \'sealed\') AS unsigned').get();
      ws.close();
      expect(sealed).toEqual({ records: TARGET, unsealed: 0, inBatches: TARGET, unsigned: 0 });

      const pushKills = await runWithKills('push', dataDir, 4, /PUSHED/);
      console.log(`workstation kill test: ${sealKills} kills while filling/sealing, ${pushKills} kills while pushing`);

      const db = (server.storage as import('../../../server/storage/sqlite.ts').SqliteStorage).db;
      expect(db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM records').get()).toEqual({ n: TARGET, d: TARGET });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const after = new BetterSqlite3(`${dataDir}/casebook.sqlite`, { readonly: true });
      expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
      const ids = after.prepare('SELECT record_id FROM outbox').pluck().all() as string[];
      expect(after.prepare("SELECT COUNT(*) AS n FROM sync_batches WHERE state <> 'sent'").get()).toEqual({ n: 0 });
      after.close();
      const onServer = new Set(db.prepare('SELECT id FROM records').pluck().all() as string[]);
      expect(ids.filter((id) => !onServer.has(id))).toEqual([]);
    } finally {
      await server.close();
    }
  }, 150_000);
});
