import { afterAll, describe, expect, it } from 'vitest';
import type { SqliteStorage } from '../../../server/storage/sqlite.ts';
import { createEnrolToken } from '../../../server/admin-auth.ts';
import { fillOutbox, openWorkstation, startTestServer, tempDir } from './helpers.ts';
import { startFlakyProxy } from './flaky-proxy.ts';

const tmp = tempDir('cb-flaky-');
afterAll(() => tmp.cleanup());

describe('a flaky network between workstation and server', () => {
  it('drops, delays and truncated answers: the push converges, each record accepted once', async () => {
    const server = await startTestServer(`${tmp.dir}/server`);
    const proxy = await startFlakyProxy(server.port, { drop: 0.2, delay: 0.2, delayMs: 300, truncate: 0.25 });
    // A fresh connection per request, so every request meets the proxy's dice.
    const fetchViaNewConnection: typeof fetch = (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), connection: 'close' } });
    const { core, who } = await openWorkstation(`${tmp.dir}/ws`, {
      sync: { batchSize: 50, fetch: fetchViaNewConnection, retry: { attempts: 4, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2_000 } },
    });
    try {
      const { token } = await createEnrolToken(server.storage, 'flaky', new Date());
      await core.sync.enrol(server.url, token); // enrol directly; sync goes through the proxy
      await core.exclusive(() => core.ctx.db.prepare('UPDATE sync_enrolment SET server_url = ?').run(proxy.url));
      await fillOutbox(core, who, 2000);
      let rounds = 0;
      for (; rounds < 60; rounds++) {
        const out = await core.sync.syncNow();
        expect(out.state).not.toBe('refused');
        if (out.state === 'done') break;
      }
      console.log(`flaky proxy: ${JSON.stringify(proxy.stats)}, ${rounds + 1} sync rounds`);
      expect(proxy.stats.dropped).toBeGreaterThan(0);
      expect(proxy.stats.truncated).toBeGreaterThan(0);
      const db = (server.storage as SqliteStorage).db;
      expect(db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM records').get()).toEqual({ n: 2000, d: 2000 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM batches').get()).toEqual({ n: 40 });
      expect(core.sync.status()).toMatchObject({ outbox: { unsent: 0, sentBatches: 40 }, refused: [] });
    } finally {
      await core.close();
      await proxy.close();
      await server.close();
    }
  }, 120_000);
});
