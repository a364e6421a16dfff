import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createEnrolToken } from '../../../server/admin-auth.ts';
import { openStorage } from '../../../server/start.ts';
import { fillOutbox, openWorkstation, tempDir } from './helpers.ts';
import { freePort, sigkill, spawnServer, type Child } from './processes.ts';

const tmp = tempDir('cb-kill-');
afterAll(() => tmp.cleanup());

async function enrolToken(serverDir: string): Promise<string> {
  const s = await openStorage(serverDir);
  try {
    return (await createEnrolToken(s, 'kill-test', new Date())).token;
  } finally {
    await s.close();
  }
}

function integrity(path: string): string {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

function serverCounts(serverDir: string): { records: number; distinct: number; batches: number; maxSeq: number } {
  const db = new BetterSqlite3(`${serverDir}/server.sqlite`, { readonly: true });
  try {
    return db.prepare('SELECT (SELECT COUNT(*) FROM records) AS records, (SELECT COUNT(DISTINCT id) FROM records) AS "distinct", (SELECT COUNT(*) FROM batches) AS batches, (SELECT MAX(seq) FROM batches) AS maxSeq').get() as {
      records: number;
      distinct: number;
      batches: number;
      maxSeq: number;
    };
  } finally {
    db.close();
  }
}

describe('the server is killed (SIGKILL) during a push of 10,000 annotations', () => {
  it('after restarts and resumes, every annotation is on the server exactly once and both stores are intact', async () => {
    const serverDir = `${tmp.dir}/server`;
    const port = await freePort();
    let server: Child = await spawnServer(serverDir, port);
    const { core, who } = await openWorkstation(`${tmp.dir}/ws`, { sync: { batchSize: 100, retry: { attempts: 2, baseDelayMs: 20, maxDelayMs: 50, timeoutMs: 10_000 } } });
    const ws = core;
    try {
      await ws.sync.enrol(`http://127.0.0.1:${port}`, await enrolToken(serverDir));
      const ids = await fillOutbox(ws, who, 10_000);
      let kills = 0;
      let offlineRounds = 0;
      const KILLS = 6;
      for (let round = 0; round < 40; round++) {
        // Kill the server at a random moment of this round's push.
        const killer =
          kills < KILLS
            ? setTimeout(() => {
                kills++;
                void sigkill(server);
              }, 30 + Math.random() * 250)
            : null;
        const out = await ws.sync.syncNow();
        if (killer) clearTimeout(killer);
        if (out.state === 'done') break;
        expect(out.state).toBe('offline');
        offlineRounds++;
        await sigkill(server);
        server = await spawnServer(serverDir, port);
      }
      const status = ws.sync.status();
      expect(status.outbox.unsent).toBe(0);
      expect(status.refused).toEqual([]);
      await sigkill(server);
      const counts = serverCounts(serverDir);
      console.log(`server kill test: ${kills} SIGKILLs, ${offlineRounds} interrupted pushes, ${counts.batches} batches, ${counts.records} records (${counts.distinct} distinct)`);
      expect(kills).toBeGreaterThanOrEqual(3);
      expect(counts).toEqual({ records: 10_000, distinct: 10_000, batches: 100, maxSeq: 100 });
      const onServer = new BetterSqlite3(`${serverDir}/server.sqlite`, { readonly: true });
      const missing = onServer.prepare('SELECT COUNT(*) AS n FROM json_each(?) WHERE value NOT IN (SELECT id FROM records)').get(JSON.stringify(ids)) as { n: number };
      onServer.close();
      expect(missing.n).toBe(0);
      expect(integrity(`${serverDir}/server.sqlite`)).toBe('ok');
    } finally {
      await ws.close();
      await sigkill(server);
    }
    expect(integrity(`${tmp.dir}/ws/casebook.sqlite`)).toBe('ok');
  }, 150_000);

  it('a crash after the commit but before the answer: the client resends, gets the original receipt, nothing doubles', async () => {
    const serverDir = `${tmp.dir}/server2`;
    const port = await freePort();
    let server = await spawnServer(serverDir, port, { CASEBOOK_TEST_CRASH_AFTER_COMMIT_SEQ: '2' });
    const { core, who } = await openWorkstation(`${tmp.dir}/ws2`, { sync: { batchSize: 10, retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10, timeoutMs: 10_000 } } });
    try {
      await core.sync.enrol(`http://127.0.0.1:${port}`, await enrolToken(serverDir));
      await fillOutbox(core, who, 30);
      const first = await core.sync.syncNow();
      expect(first).toMatchObject({ state: 'offline', sentBatches: 1 });
      await server.exited;
      expect(serverCounts(serverDir)).toMatchObject({ batches: 2, records: 20 });
      server = await spawnServer(serverDir, port);
      expect(await core.sync.syncNow()).toEqual({ state: 'done', sentBatches: 2 });
      expect(serverCounts(serverDir)).toMatchObject({ batches: 3, records: 30, distinct: 30 });
    } finally {
      await core.close();
      await sigkill(server);
    }
  }, 60_000);
});
