import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { RECEIPT_PAYLOAD_TYPE, Receipt } from '../../../shared/domain/index.ts';
import { verifyEnvelope } from '../../../shared/node/dsse.ts';
import { sha256Hex } from '../../../shared/node/hash.ts';
import { generateKeyPair } from '../../../shared/node/keys.ts';
import { createEnrolToken } from '../../../server/admin-auth.ts';
import { RECEIPT_KEY_META } from '../../../server/server-key.ts';
import { openStorage } from '../../../server/start.ts';
import { defaultFetch, type FetchFn } from '../../../electron/core/sync/http.ts';
import { getEnrolment } from '../../../electron/core/sync/enrol.ts';
import { bindingOf, fakeAnnotation, fillOutbox, freshPgDatabase, openWorkstation, PG_URL, postBatch, signedBatch, tempDir } from './helpers.ts';
import { freePort, sigkill, spawnServer, spawnTs } from './processes.ts';

const tmp = tempDir('cb-pg2-');
afterAll(() => tmp.cleanup());

/** A round-robin load balancer in front of several server processes: each request to the next one. */
function roundRobin(urls: string[]): FetchFn {
  let next = 0;
  return (url, init) => {
    const u = new URL(url);
    const target = new URL(urls[next++ % urls.length]!);
    u.host = target.host;
    return defaultFetch(u.toString(), init);
  };
}

describe.skipIf(!PG_URL)('several server processes, each with its own data directory, on one PostgreSQL', () => {
  it('a process whose receipt key is not the database\'s refuses to start, saying which key to copy where', async () => {
    const pg = await freshPgDatabase();
    const a = await spawnServer(`${tmp.dir}/refuse-a`, await freePort(), {}, ['--database-url', pg.url]);
    try {
      // A data directory with a key of its own (say, from a server that ran on another database).
      mkdirSync(`${tmp.dir}/refuse-b`, { recursive: true, mode: 0o700 });
      writeFileSync(`${tmp.dir}/refuse-b/server-key.jwk`, JSON.stringify(generateKeyPair().privateJwk), { mode: 0o600 });
      const b = spawnTs(['electron/cli/main.ts', 'server', '--data', `${tmp.dir}/refuse-b`, '--port', String(await freePort()), '--database-url', pg.url], { CASEBOOK_LOG_LEVEL: 'warn' });
      expect(await b.exited).toBe(1);
      expect(b.output()).toMatch(/refuse-b\/server-key\.jwk is key [0-9a-f ]+, but this database's receipts are signed by key [0-9a-f ]+: workstations would refuse this server's receipts/);
      expect(b.output()).toContain('copy server-key.jwk from the data directory of a server already running on this database');
      expect(b.output()).not.toMatch(/unexpected error|at .*\.ts:\d+/);
      // Without any key file it refuses too, rather than making a third key.
      const c = spawnTs(['electron/cli/main.ts', 'server', '--data', `${tmp.dir}/refuse-c`, '--port', String(await freePort()), '--database-url', pg.url], { CASEBOOK_LOG_LEVEL: 'warn' });
      expect(await c.exited).toBe(1);
      expect(c.output()).toMatch(/refuse-c\/server-key\.jwk is missing, but this database's receipts are signed by another server's key/);
    } finally {
      await sigkill(a);
      await pg.drop();
    }
  }, 60_000);

  it('with the key copied, pushes of one device through both are accepted exactly once and every receipt verifies with the key pinned at enrolment', async () => {
    const pg = await freshPgDatabase();
    const [dirA, dirB] = [`${tmp.dir}/a`, `${tmp.dir}/b`];
    const [p1, p2] = [await freePort(), await freePort()];
    const a = await spawnServer(dirA, p1, {}, ['--database-url', pg.url]);
    mkdirSync(dirB, { recursive: true, mode: 0o700 });
    copyFileSync(`${dirA}/server-key.jwk`, `${dirB}/server-key.jwk`);
    const b = await spawnServer(dirB, p2, {}, ['--database-url', pg.url]);
    const urls = [`http://127.0.0.1:${p1}`, `http://127.0.0.1:${p2}`];
    const { core, who } = await openWorkstation(`${tmp.dir}/ws`, { sync: { batchSize: 10, fetch: roundRobin(urls) } });
    const storage = await openStorage(`${tmp.dir}/admin`, pg.url);
    try {
      expect(await storage.getMeta(RECEIPT_KEY_META)).toBeTruthy();
      const { token } = await createEnrolToken(storage, bindingOf(who), 'race', new Date());
      await core.sync.enrol(urls[0]!, token);

      // The workstation's own pushes alternate between the two processes.
      const ids = await fillOutbox(core, who, 200);
      expect(await core.sync.syncNow()).toEqual({ state: 'done', sentBatches: 20 });
      const pinned = (await core.exclusive(() => getEnrolment(core.ctx.db)))!.serverPublicKey;
      const sent = await core.exclusive(() => core.ctx.db.prepare('SELECT seq, hash, receipt FROM sync_batches ORDER BY seq').all() as { seq: number; hash: string; receipt: Buffer }[]);
      expect(sent).toHaveLength(20);
      for (const r of sent) {
        const receipt = Receipt.parse(JSON.parse(verifyEnvelope(r.receipt, RECEIPT_PAYLOAD_TYPE, [pinned]).payload.toString('utf8')));
        expect(receipt).toMatchObject({ deviceId: who.deviceId, seq: r.seq, batchHash: r.hash });
      }
      expect(await storage.countRecords()).toEqual({ total: 200, distinct: 200 });
      expect(new Set((await storage.exportRecords(0, 1000)).map((x) => JSON.parse(x.body).id as string))).toEqual(new Set(ids));

      // The same batch raced at both at once: one application, byte-identical receipts that verify.
      const key = (await core.ctx.keyVault.load())!;
      let prev = sent.at(-1)!.hash;
      for (let seq = 21; seq <= 40; seq++) {
        const bytes = signedBatch(key, who.deviceId, seq, prev, [{ type: 'annotation', record: fakeAnnotation(who, seq * 1000) }]);
        const [ra, rb] = await Promise.all(urls.map((u) => postBatch(u, bytes)));
        expect([ra!.status, rb!.status]).toEqual([200, 200]);
        expect(ra!.body.equals(rb!.body)).toBe(true);
        verifyEnvelope(ra!.body, RECEIPT_PAYLOAD_TYPE, [pinned]);
        prev = sha256Hex(bytes);
      }
      // Different batches for one seq raced at both: one winner, one conflict, every time.
      for (let seq = 41; seq <= 50; seq++) {
        const x = signedBatch(key, who.deviceId, seq, prev, [{ type: 'annotation', record: fakeAnnotation(who, seq * 1000 + 1) }]);
        const y = signedBatch(key, who.deviceId, seq, prev, [{ type: 'annotation', record: fakeAnnotation(who, seq * 1000 + 2) }]);
        const [rx, ry] = await Promise.all([postBatch(urls[0]!, x), postBatch(urls[1]!, y)]);
        expect([rx.status, ry.status].sort()).toEqual([200, 409]);
        prev = sha256Hex(rx.status === 200 ? x : y);
      }
      expect(await storage.countRecords()).toEqual({ total: 230, distinct: 230 });
      expect((await storage.listBatches({ limit: 1000 })).map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await storage.listConflicts()).toHaveLength(10);
    } finally {
      await storage.close();
      await core.close();
      await sigkill(a);
      await sigkill(b);
      await pg.drop();
    }
  }, 90_000);
});
