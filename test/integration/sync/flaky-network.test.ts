import { afterAll, describe, expect, it } from 'vitest';
import { createEnrolToken } from '../../../server/admin-auth.ts';
import { bindingOf, BACKENDS, fillOutbox, freshPgDatabase, openWorkstation, startTestServer, tempDir } from './helpers.ts';
import { startFlakyProxy } from './flaky-proxy.ts';

const tmp = tempDir('cb-flaky-');
afterAll(() => tmp.cleanup());

describe.each(BACKENDS)('a flaky network between workstation and server (%s storage)', (backend) => {
  it('drops, delays and truncated answers: the push converges, each record accepted once', async () => {
    const pg = backend === 'postgres' ? await freshPgDatabase() : null;
    const server = await startTestServer(`${tmp.dir}/server-${backend}`, pg ? { databaseUrl: pg.url } : {});
    const proxy = await startFlakyProxy(server.port, { drop: 0.2, delay: 0.2, delayMs: 300, truncate: 0.25 });
    // A fresh connection per request, so every request meets the proxy's dice.
    const fetchViaNewConnection: typeof fetch = (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), connection: 'close' } });
    const { core, who } = await openWorkstation(`${tmp.dir}/ws-${backend}`, {
      sync: { batchSize: 50, fetch: fetchViaNewConnection, retry: { attempts: 4, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2_000 } },
    });
    try {
      const { token } = await createEnrolToken(server.storage, bindingOf(who), 'flaky', new Date());
      await core.sync.enrol(server.url, token); // enrol directly; sync goes through the proxy
      await core.exclusive(() => core.ctx.db.prepare('UPDATE sync_enrolment SET server_url = ?').run(proxy.url));
      await fillOutbox(core, who, 2000);
      let rounds = 0;
      for (; rounds < 60; rounds++) {
        const out = await core.sync.syncNow();
        expect(out.state).not.toBe('refused');
        if (out.state === 'done') break;
      }
      console.log(`flaky proxy (${backend}): ${JSON.stringify(proxy.stats)}, ${rounds + 1} sync rounds`);
      expect(proxy.stats.dropped).toBeGreaterThan(0);
      expect(proxy.stats.truncated).toBeGreaterThan(0);
      expect(await server.storage.countRecords()).toEqual({ total: 2000, distinct: 2000 });
      expect((await server.storage.listBatches({ limit: 1000 })).map((b) => b.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(core.sync.status()).toMatchObject({ outbox: { unsent: 0, sentBatches: 40 }, refused: [] });
    } finally {
      await core.close();
      await proxy.close();
      await server.close();
      await pg?.drop();
    }
  }, 120_000);
});
