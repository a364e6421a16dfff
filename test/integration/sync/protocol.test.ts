import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BATCH_FORMAT, BATCH_PAYLOAD_TYPE, GENESIS_HASH, RECEIPT_PAYLOAD_TYPE, Receipt } from '../../../shared/domain/index.ts';
import { signEnvelope, verifyEnvelope } from '../../../shared/node/dsse.ts';
import { generateKeyPair, type PrivateJwk } from '../../../shared/node/keys.ts';
import { sha256Hex } from '../../../shared/node/hash.ts';
import type { Core } from '../../../electron/core/core.ts';
import type { IdentityView } from '../../../shared/contract/index.ts';
import { createEnrolToken } from '../../../server/admin-auth.ts';
import { getEnrolment, requestEnrolment } from '../../../electron/core/sync/enrol.ts';
import { bindingOf, BACKENDS, batchStates, enrolWorkstation, freshPgDatabase, fakeAnnotation, fillOutbox, openWorkstation, postBatch, startTestServer, storedBatch, tempDir } from './helpers.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

function signBatch(key: PrivateJwk, payload: object): Buffer {
  return Buffer.from(JSON.stringify(signEnvelope(BATCH_PAYLOAD_TYPE, Buffer.from(JSON.stringify(payload)), key)));
}

describe.each(BACKENDS)('push to a real server on loopback (%s storage)', (backend) => {
let tmp: ReturnType<typeof tempDir>;
let server: Server;
let core: Core;
let who: IdentityView;
let pg: { url: string; drop: () => Promise<void> } | null = null;

const records = async () => (await server.storage.countRecords()).total;
const batches = async () => (await server.storage.listBatches({ limit: 1_000_000 })).length;
const serverOptions = () => (pg ? { databaseUrl: pg.url } : {});

beforeEach(async () => {
  tmp = tempDir();
  pg = backend === 'postgres' ? await freshPgDatabase() : null;
  server = await startTestServer(`${tmp.dir}/server`, serverOptions());
  ({ core, who } = await openWorkstation(`${tmp.dir}/ws`, { sync: { retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20, timeoutMs: 5_000 } } }));
  await enrolWorkstation(core, server);
});

afterEach(async () => {
  await core.close();
  await server.close();
  await pg?.drop();
  tmp.cleanup();
});

  it('sends every submitted record exactly once and marks batches sent only with a verifying receipt', async () => {
    const ids = await fillOutbox(core, who, 1200);
    const out = await core.sync.syncNow();
    expect(out).toEqual({ state: 'done', sentBatches: 3 });
    expect(await server.storage.countRecords()).toEqual({ total: 1200, distinct: 1200 });
    const exported = await server.storage.exportRecords(0, 10_000);
    expect(new Set(exported.map((r) => JSON.parse(r.body).id))).toEqual(new Set(ids));
    const states = await batchStates(core);
    expect(states.map((s) => s.state)).toEqual(['sent', 'sent', 'sent']);
    const receipts = await core.exclusive(() => core.ctx.db.prepare('SELECT seq, hash, receipt FROM sync_batches ORDER BY seq').all() as { seq: number; hash: string; receipt: Buffer }[]);
    const serverPublicKey = (await core.exclusive(() => getEnrolment(core.ctx.db)))!.serverPublicKey;
    for (const r of receipts) {
      const v = verifyEnvelope(r.receipt, RECEIPT_PAYLOAD_TYPE, [serverPublicKey]);
      const receipt = Receipt.parse(JSON.parse(v.payload.toString('utf8')));
      expect(receipt).toMatchObject({ deviceId: who.deviceId, seq: r.seq, batchHash: r.hash });
    }
    // Chain: each batch's prevHash is the hash of the previous envelope.
    const second = JSON.parse(Buffer.from(JSON.parse((await storedBatch(core, 2)).toString()).payload, 'base64').toString());
    expect(second.prevHash).toBe(sha256Hex(await storedBatch(core, 1)));
    const status = await core.call('sync.status', {});
    expect(status.ok && status.result).toMatchObject({ enrolled: true, online: true, lastError: null, outbox: { unsent: 0, sentBatches: 3 } });
  });

  it('replaying an accepted batch 100 times applies it once and returns the identical receipt', async () => {
    await fillOutbox(core, who, 10);
    await core.sync.syncNow();
    const bytes = await storedBatch(core, 1);
    const first = await postBatch(server.url, bytes);
    expect(first.status).toBe(200);
    for (let i = 0; i < 100; i++) {
      const again = await postBatch(server.url, bytes);
      expect(again.status).toBe(200);
      expect(again.body.equals(first.body)).toBe(true);
    }
    expect(await batches()).toBe(1);
    expect(await records()).toBe(10);
  });

  it('refuses the same seq with different bytes and records it as a conflict', async () => {
    await fillOutbox(core, who, 3);
    await core.sync.syncNow();
    const key = (await core.ctx.keyVault.load())!;
    const other = signBatch(key, { format: BATCH_FORMAT, deviceId: who.deviceId, seq: 1, prevHash: GENESIS_HASH, createdAt: new Date().toISOString(), records: [{ type: 'annotation', record: fakeAnnotation(who, 99) }] });
    const res = await postBatch(server.url, other);
    expect(res.status).toBe(409);
    expect(res.json().error.code).toBe('conflict');
    expect(await server.storage.listConflicts(who.deviceId)).toEqual([expect.objectContaining({ seq: 1, reason: 'same seq, different bytes' })]);
    expect(await records()).toBe(3);
  });

  it('refuses a gap with the expected seq, and the client resends from there and converges', async () => {
    await fillOutbox(core, who, 5);
    await core.sync.syncNow(); // batch 1 accepted
    await fillOutbox(core, who, 5, 100);
    await core.sync.sealPending(); // batch 2
    await fillOutbox(core, who, 5, 200);
    await core.sync.sealPending(); // batch 3
    const direct = await postBatch(server.url, await storedBatch(core, 3));
    expect(direct.status).toBe(409);
    expect(direct.json().error).toMatchObject({ code: 'gap', expectedSeq: 2 });
    // The workstation believes batch 2 went through (say the server was restored from a backup
    // taken before it): its next push of 3 meets the gap and must resend 2 itself.
    await core.exclusive(() => core.ctx.db.prepare("UPDATE sync_batches SET state = 'sent', receipt = x'00' WHERE seq = 2").run());
    const out = await core.sync.syncNow();
    expect(out.state).toBe('done');
    expect(await batches()).toBe(3);
    expect(await records()).toBe(15);
  });

  it('refuses a batch with any single byte flipped, and nothing changes', async () => {
    await fillOutbox(core, who, 1);
    await core.sync.sealPending();
    const bytes = await storedBatch(core, 1);
    const statuses = new Map<number, number>();
    for (let i = 0; i < bytes.length; i++) {
      const bad = Buffer.from(bytes);
      bad[i] = bad[i]! ^ 0x01;
      const res = await postBatch(server.url, bad);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 200) throw new Error(`flipping byte ${i} was accepted`);
    }
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    expect(await batches()).toBe(0);
    expect((await postBatch(server.url, bytes)).status).toBe(200);
  });

  it('refuses a batch signed by an unknown key', async () => {
    const stranger = generateKeyPair().privateJwk;
    const res = await postBatch(server.url, signBatch(stranger, { format: BATCH_FORMAT, deviceId: who.deviceId, seq: 1, prevHash: GENESIS_HASH, createdAt: new Date().toISOString(), records: [{ type: 'annotation', record: fakeAnnotation(who, 1) }] }));
    expect(res.status).toBe(403);
    expect(res.json().error.code).toBe('unknown_key');
  });

  it("refuses records that name another device or annotator: nobody else's work passes as yours", async () => {
    const key = (await core.ctx.keyVault.load())!;
    const someoneElse = fakeAnnotation({ ...who, deviceId: 'dev_someone_else' }, 1);
    const res = await postBatch(server.url, signBatch(key, { format: BATCH_FORMAT, deviceId: who.deviceId, seq: 1, prevHash: GENESIS_HASH, createdAt: new Date().toISOString(), records: [{ type: 'annotation', record: someoneElse }] }));
    expect(res.status).toBe(403);
    expect(res.json().error.code).toBe('not_your_work');
    const otherUser = fakeAnnotation({ ...who, userId: '00000000-0000-4000-8000-000000000000' }, 2);
    const res2 = await postBatch(server.url, signBatch(key, { format: BATCH_FORMAT, deviceId: who.deviceId, seq: 1, prevHash: GENESIS_HASH, createdAt: new Date().toISOString(), records: [{ type: 'annotation', record: otherUser }] }));
    expect(res2.json().error.code).toBe('not_your_work');
    expect(await records()).toBe(0);
  });

  it('refuses a revoked key; the workstation shows the reason and does not retry by itself', async () => {
    await fillOutbox(core, who, 3);
    const revoke = await fetch(`${server.url}/v1/admin/devices/${who.deviceId}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${server.adminToken}` } });
    expect(await revoke.json()).toEqual({ revoked: true });
    const out = await core.sync.syncNow();
    expect(out).toMatchObject({ state: 'refused', seq: 1 });
    const status = await core.call('sync.status', {});
    if (!status.ok) throw new Error('status failed');
    const s = status.result as { refused: { seq: number; reason: string }[]; lastError: string };
    expect(s.refused).toEqual([{ seq: 1, reason: expect.stringContaining('revoked') }]);
    expect(s.lastError).toMatch(/refused batch 1: .*revoked/);
    // A second sync does not send anything: the refusal is durable state, not a retry loop.
    let calls = 0;
    const { pushAll } = await import('../../../electron/core/sync/push.ts');
    const again = await pushAll({
      serverUrl: server.url,
      serverKey: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) },
      deviceId: who.deviceId,
      fetch: async () => {
        calls++;
        throw new Error('must not be called');
      },
      db: core.ctx.db,
      exclusive: core.ctx.exclusive,
      now: () => new Date(),
    });
    expect(again.state).toBe('refused');
    expect(calls).toBe(0);
    expect(await records()).toBe(0);
  });

  it('an enrolment token works once', async () => {
    const { token } = await createEnrolToken(server.storage, bindingOf(who), 'once', new Date());
    const key = (await core.ctx.keyVault.load())!;
    await requestEnrolment(server.url, token, who, key);
    await expect(requestEnrolment(server.url, token, who, key)).rejects.toThrow(/already been used/);
    const other = await openWorkstation(`${tmp.dir}/ws2`);
    try {
      await expect(requestEnrolment(server.url, token, other.who, (await other.core.ctx.keyVault.load())!)).rejects.toThrow(/already been used/);
      await expect(requestEnrolment(server.url, 'cbenrol_made_up_token_xxxxxxxx', other.who, (await other.core.ctx.keyVault.load())!)).rejects.toThrow(/not known/);
    } finally {
      await other.core.close();
    }
    expect(await server.storage.listDevices()).toHaveLength(1);
  });

  it('reports an unreachable server in plain words and keeps the work', async () => {
    await fillOutbox(core, who, 3);
    await server.close();
    const out = await core.sync.syncNow();
    expect(out.state).toBe('offline');
    const status = await core.call('sync.status', {});
    expect(status.ok && status.result).toMatchObject({ online: false, lastError: expect.stringMatching(/Cannot reach the sync server .* Your work is safe/), outbox: { unsent: 3 } });
    server = await startTestServer(`${tmp.dir}/server`, { ...serverOptions(), port: server.port });
    expect((await core.sync.syncNow()).state).toBe('done');
  });
});
