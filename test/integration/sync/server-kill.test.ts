import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createEnrolToken } from '../../../server/admin-auth.ts';
import { openStorage } from '../../../server/start.ts';
import type { IdentityView } from '../../../shared/contract/index.ts';
import { BACKENDS, bindingOf, fillOutbox, freshPgDatabase, openWorkstation, tempDir } from './helpers.ts';
import { freePort, sigkill, spawnServer, type Child } from './processes.ts';

const tmp = tempDir('cb-kill-');
afterAll(() => tmp.cleanup());

async function enrolToken(who: IdentityView, serverDir: string, databaseUrl?: string): Promise<string> {
  const s = await openStorage(serverDir, databaseUrl);
  try {
    return (await createEnrolToken(s, bindingOf(who), 'kill-test', new Date())).token;
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

/** What the server holds, through its storage interface (works for both backends). */
async function storedOnServer(serverDir: string, databaseUrl?: string) {
  const s = await openStorage(serverDir, databaseUrl);
  try {
    const ids = new Set<string>();
    for (let after = 0; ; ) {
      const page = await s.exportRecords(after, 5000);
      if (page.length === 0) break;
      for (const r of page) ids.add((JSON.parse(r.body) as { id: string }).id);
      after = page.at(-1)!.cursor;
    }
    const seqs = (await s.listBatches({ limit: 100_000 })).map((b) => b.seq);
    return { ...(await s.countRecords()), ids, batches: seqs.length, maxSeq: Math.max(0, ...seqs) };
  } finally {
    await s.close();
  }
}

describe.each(BACKENDS)('the server is killed (SIGKILL) during a push of 10,000 annotations (%s storage)', (backend) => {
  it('after restarts and resumes, every annotation is on the server exactly once and both stores are intact', async () => {
    const serverDir = `${tmp.dir}/server-${backend}`;
    const pg = backend === 'postgres' ? await freshPgDatabase() : null;
    const dbArgs = pg ? ['--database-url', pg.url] : [];
    const port = await freePort();
    let server: Child = await spawnServer(serverDir, port, {}, dbArgs);
    const { core, who } = await openWorkstation(`${tmp.dir}/ws-${backend}`, { sync: { batchSize: 100, retry: { attempts: 2, baseDelayMs: 20, maxDelayMs: 50, timeoutMs: 10_000 } } });
    const ws = core;
    try {
      await ws.sync.enrol(`http://127.0.0.1:${port}`, await enrolToken(who, serverDir, pg?.url));
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
        server = await spawnServer(serverDir, port, {}, dbArgs);
      }
      const status = ws.sync.status();
      expect(status.outbox.unsent).toBe(0);
      expect(status.refused).toEqual([]);
      await sigkill(server);
      const { ids: held, ...counts } = await storedOnServer(serverDir, pg?.url);
      console.log(`server kill test (${backend}): ${kills} SIGKILLs, ${offlineRounds} interrupted pushes, ${counts.batches} batches, ${counts.total} records (${counts.distinct} distinct)`);
      expect(kills).toBeGreaterThanOrEqual(3);
      expect(counts).toEqual({ total: 10_000, distinct: 10_000, batches: 100, maxSeq: 100 });
      expect(ids.filter((id) => !held.has(id))).toEqual([]);
      if (backend === 'sqlite') expect(integrity(`${serverDir}/server.sqlite`)).toBe('ok');
    } finally {
      await ws.close();
      await sigkill(server);
      await pg?.drop();
    }
    expect(integrity(`${tmp.dir}/ws-${backend}/casebook.sqlite`)).toBe('ok');
  }, 150_000);
});

describe('the server crashes between commit and answer', () => {
  it('a crash after the commit but before the answer: the client resends, gets the original receipt, nothing doubles', async () => {
    const serverDir = `${tmp.dir}/server2`;
    const port = await freePort();
    let server = await spawnServer(serverDir, port, { CASEBOOK_TEST_CRASH_AFTER_COMMIT_SEQ: '2' });
    const { core, who } = await openWorkstation(`${tmp.dir}/ws2`, { sync: { batchSize: 10, retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10, timeoutMs: 10_000 } } });
    try {
      await core.sync.enrol(`http://127.0.0.1:${port}`, await enrolToken(who, serverDir));
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
