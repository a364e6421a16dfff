import { statSync } from 'node:fs';
import pg from 'pg';
import type { SqliteStorage } from '../../../server/storage/sqlite.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../../shared/domain/index.ts';
import type { PrivateJwk } from '../../../shared/node/keys.ts';
import { MAX_CONFLICTS_PER_DEVICE } from '../../../server/storage/conflicts.ts';
import type { IdentityView } from '../../../shared/contract/index.ts';
import type { Core } from '../../../electron/core/core.ts';
import { BACKENDS, enrolWorkstation, fakeAnnotation, freshPgDatabase, openWorkstation, postBatch, signedBatch, startTestServer, tempDir } from './helpers.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.each(BACKENDS)('refused conflicting batches are kept as bounded evidence, not whole (%s storage)', (backend) => {
  let tmp: ReturnType<typeof tempDir>;
  let server: Server;
  let pgUrl: { url: string; drop: () => Promise<void> } | null = null;
  let core: Core;
  let who: IdentityView;
  let key: PrivateJwk;

  beforeEach(async () => {
    tmp = tempDir('cb-conflicts-');
    pgUrl = backend === 'postgres' ? await freshPgDatabase() : null;
    server = await startTestServer(`${tmp.dir}/server`, pgUrl ? { databaseUrl: pgUrl.url } : {});
    ({ core, who } = await openWorkstation(`${tmp.dir}/ws`));
    await enrolWorkstation(core, server);
    key = (await core.ctx.keyVault.load())!;
    expect((await postBatch(server.url, signedBatch(key, who.deviceId, 1, GENESIS_HASH, [{ type: 'annotation', record: fakeAnnotation(who, 0) }]))).status).toBe(200);
  });
  afterEach(async () => {
    await core.close();
    await server.close();
    await pgUrl?.drop();
    tmp.cleanup();
  });

  /** Another batch 1: same seq, other bytes. */
  const conflicting = (i: number, padBytes: number) => {
    const a = fakeAnnotation(who, 1000 + i);
    a.content.answer = { ...a.content.answer, rationale: 'x'.repeat(padBytes) } as typeof a.content.answer;
    return signedBatch(key, who.deviceId, 1, GENESIS_HASH, [{ type: 'annotation', record: a }]);
  };
  /** The SQLite store's size on disk, WAL included (where a commit lands first). */
  const storeBytes = () => ['server.sqlite', 'server.sqlite-wal'].reduce((n, f) => n + (statSync(`${tmp.dir}/server/${f}`, { throwIfNoEntry: false })?.size ?? 0), 0);

  /** What the conflicts table holds of the refused envelopes, in bytes. */
  const keptEnvelopeBytes = async (): Promise<number> => {
    if (backend === 'sqlite') return (server.storage as SqliteStorage).db.prepare('SELECT COALESCE(SUM(LENGTH(envelope_prefix)), 0) FROM conflicts').pluck().get() as number;
    const c = new pg.Client({ connectionString: pgUrl!.url });
    await c.connect();
    try {
      return Number((await c.query<{ n: string }>('SELECT COALESCE(SUM(octet_length(envelope_prefix)), 0) AS n FROM conflicts')).rows[0]!.n);
    } finally {
      await c.end();
    }
  };

  it('five 3 MB conflicting batches grow the store by kilobytes: hash, size and a 4 KiB prefix each', async () => {
    const before = storeBytes();
    for (let i = 0; i < 5; i++) {
      const res = await postBatch(server.url, conflicting(i, 3 * 1024 * 1024));
      expect([res.status, res.json().error.code]).toEqual([409, 'conflict']);
    }
    const conflicts = await server.storage.listConflicts(who.deviceId);
    expect(conflicts).toHaveLength(5);
    for (const c of conflicts) expect(c).toMatchObject({ seq: 1, reason: 'same seq, different bytes', offeredSize: expect.any(Number) });
    expect(Math.min(...conflicts.map((c) => c.offeredSize!))).toBeGreaterThan(3 * 1024 * 1024);
    expect(await keptEnvelopeBytes()).toBeLessThanOrEqual(5 * 4096);
    if (backend === 'sqlite') expect(storeBytes() - before).toBeLessThan(1024 * 1024);
  });

  it(`keeps at most ${MAX_CONFLICTS_PER_DEVICE} conflicts per device, the first ones; later conflicts are still refused`, async () => {
    for (let i = 0; i < MAX_CONFLICTS_PER_DEVICE + 5; i++) {
      expect((await postBatch(server.url, conflicting(i, 10))).status).toBe(409);
    }
    const kept = await server.storage.listConflicts(who.deviceId);
    expect(kept).toHaveLength(MAX_CONFLICTS_PER_DEVICE);
    expect(await server.storage.countRecords()).toEqual({ total: 1, distinct: 1 });
  }, 60_000);
});
