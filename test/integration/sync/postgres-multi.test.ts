import { afterAll, describe, expect, it } from 'vitest';
import { BATCH_FORMAT, BATCH_PAYLOAD_TYPE } from '../../../shared/domain/index.ts';
import { signEnvelope } from '../../../shared/node/dsse.ts';
import { sha256Hex } from '../../../shared/node/hash.ts';
import { createEnrolToken } from '../../../server/admin-auth.ts';
import { openStorage } from '../../../server/start.ts';
import { bindingOf, fakeAnnotation, freshPgDatabase, openWorkstation, PG_URL, postBatch, tempDir } from './helpers.ts';
import { freePort, sigkill, spawnServer } from './processes.ts';

const tmp = tempDir('cb-pg2-');
afterAll(() => tmp.cleanup());

describe.skipIf(!PG_URL)('two server processes on one PostgreSQL', () => {
  it('never both accept a seq: racing identical batches apply once, racing different ones leave one winner and a conflict', async () => {
    const pg = await freshPgDatabase();
    const dir = `${tmp.dir}/server`;
    const [p1, p2] = [await freePort(), await freePort()];
    const a = await spawnServer(dir, p1, {}, ['--database-url', pg.url]);
    const b = await spawnServer(dir, p2, {}, ['--database-url', pg.url]);
    const { core, who } = await openWorkstation(`${tmp.dir}/ws`);
    try {
      const storage = await openStorage(dir, pg.url);
      const { token } = await createEnrolToken(storage, bindingOf(who), 'race', new Date());
      await core.sync.enrol(`http://127.0.0.1:${p1}`, token);
      const key = (await core.ctx.keyVault.load())!;
      const sign = (seq: number, prevHash: string, salt: number) =>
        Buffer.from(
          JSON.stringify(
            signEnvelope(
              BATCH_PAYLOAD_TYPE,
              Buffer.from(JSON.stringify({ format: BATCH_FORMAT, deviceId: who.deviceId, seq, prevHash, createdAt: new Date().toISOString(), records: [fakeAnnotation(who, seq * 1000 + salt)].map((r) => ({ type: 'annotation', record: r })) })),
              key,
            ),
          ),
        );

      let prev = '0'.repeat(64);
      for (let seq = 1; seq <= 30; seq++) {
        const bytes = sign(seq, prev, 0);
        const [ra, rb] = await Promise.all([postBatch(`http://127.0.0.1:${p1}`, bytes), postBatch(`http://127.0.0.1:${p2}`, bytes)]);
        expect([ra.status, rb.status]).toEqual([200, 200]);
        expect(ra.body.equals(rb.body)).toBe(true);
        prev = sha256Hex(bytes);
      }
      expect(await storage.countRecords()).toEqual({ total: 30, distinct: 30 });

      let winners = 0;
      for (let seq = 31; seq <= 50; seq++) {
        const x = sign(seq, prev, 1);
        const y = sign(seq, prev, 2);
        const [rx, ry] = await Promise.all([postBatch(`http://127.0.0.1:${p1}`, x), postBatch(`http://127.0.0.1:${p2}`, y)]);
        const statuses = [rx.status, ry.status].sort();
        expect(statuses).toEqual([200, 409]);
        winners++;
        prev = sha256Hex(rx.status === 200 ? x : y);
      }
      expect(winners).toBe(20);
      expect(await storage.countRecords()).toEqual({ total: 50, distinct: 50 });
      expect((await storage.listBatches({ limit: 1000 })).map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await storage.listConflicts()).toHaveLength(20);
      await storage.close();
    } finally {
      await core.close();
      await sigkill(a);
      await sigkill(b);
      await pg.drop();
    }
  }, 60_000);
});
