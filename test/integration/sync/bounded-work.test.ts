import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ENROL_PAYLOAD_TYPE, GENESIS_HASH } from '../../../shared/domain/index.ts';
import { signEnvelope } from '../../../shared/node/dsse.ts';
import { keyId, toPublic, type PrivateJwk } from '../../../shared/node/keys.ts';
import { createEnrolToken } from '../../../server/admin-auth.ts';
import { openStorage } from '../../../server/start.ts';
import { bindingOf, fakeAnnotation, openWorkstation, postBatch, signedBatch, startTestServer, tempDir } from './helpers.ts';
import { freePort, sigkill, spawnServer } from './processes.ts';

const tmp = tempDir('cb-bounded-');
afterAll(() => tmp.cleanup());

/** Probes /v1/health back to back while `work` runs; the slowest answer is what another client waited. */
async function healthWhile<T>(url: string, work: () => Promise<T>): Promise<{ result: T; slowestMs: number; probes: number; workMs: number }> {
  for (let i = 0; i < 5; i++) await (await fetch(`${url}/v1/health`)).arrayBuffer(); // warm: connection and JIT
  let done = false;
  let slowestMs = 0;
  let probes = 0;
  const probing = (async () => {
    while (!done) {
      const t0 = performance.now();
      const res = await fetch(`${url}/v1/health`);
      await res.arrayBuffer();
      slowestMs = Math.max(slowestMs, performance.now() - t0);
      probes++;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  await new Promise((r) => setTimeout(r, 20));
  const t0 = performance.now();
  const result = await work();
  const workMs = performance.now() - t0;
  done = true;
  await probing;
  return { result, slowestMs, probes, workMs };
}

describe('bounded verification work: a small unauthenticated request cannot stall the server', () => {
  it('refuses an 8,000-signature batch envelope (1.2 MB) by counting, while a parallel /v1/health is answered promptly', async () => {
    // The server in its own process, as in production: the probes measure its event loop alone.
    const serverDir = `${tmp.dir}/server`;
    const { core, who } = await openWorkstation(`${tmp.dir}/ws`);
    const storage = await openStorage(serverDir);
    const { token } = await createEnrolToken(storage, bindingOf(who), 'flood', new Date());
    await storage.close();
    const port = await freePort();
    const child = await spawnServer(serverDir, port);
    const server = { url: `http://127.0.0.1:${port}` };
    try {
      await core.sync.enrol(server.url, token);
      const key = (await core.ctx.keyVault.load()) as PrivateJwk;
      const honest = JSON.parse(signedBatch(key, who.deviceId, 1, GENESIS_HASH, [{ type: 'annotation', record: fakeAnnotation(who, 1) }]).toString()) as { payload: string; payloadType: string };
      // Knowing only the device's public key id: every signature names it, none is real.
      const kid = keyId(toPublic(key));
      const flood = Buffer.from(JSON.stringify({ ...honest, signatures: Array.from({ length: 8000 }, () => ({ keyid: kid, sig: randomBytes(64).toString('base64') })) }));
      expect(flood.length).toBeGreaterThan(1_200_000);

      const { result: res, slowestMs, probes, workMs } = await healthWhile(server.url, () => postBatch(server.url, flood));
      console.log(`8,000-signature envelope (${(flood.length / 1048576).toFixed(2)} MiB): refused with ${res.status} in ${workMs.toFixed(1)} ms; slowest of ${probes} parallel /v1/health probes ${slowestMs.toFixed(1)} ms`);
      expect(res.status).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'bad_signature', message: expect.stringContaining('carries 8000 signatures; application/vnd.casebook.batch+json allows at most 1') });
      expect(slowestMs).toBeLessThan(500);

      // Two signatures are already one too many for a batch; a missing keyid names no key.
      const twice = Buffer.from(JSON.stringify({ ...honest, signatures: [{ keyid: kid, sig: randomBytes(64).toString('base64') }, { keyid: kid, sig: randomBytes(64).toString('base64') }] }));
      expect((await postBatch(server.url, twice)).json().error.message).toContain('carries 2 signatures');
      const real = JSON.parse(signedBatch(key, who.deviceId, 1, GENESIS_HASH, [{ type: 'annotation', record: fakeAnnotation(who, 2) }]).toString()) as { signatures: { sig: string }[] };
      const anonymous = Buffer.from(JSON.stringify({ ...real, signatures: [{ sig: real.signatures[0]!.sig }] }));
      const noKeyid = await postBatch(server.url, anonymous);
      expect([noKeyid.status, noKeyid.json().error]).toEqual([403, expect.objectContaining({ code: 'unknown_key', message: "the batch's signature names no key (keyid missing)" })]);
    } finally {
      await core.close();
      await sigkill(child);
    }
    const check = await openStorage(serverDir);
    expect(await check.listBatches({ limit: 10 })).toEqual([]);
    await check.close();
  }, 60_000);

  it('refuses an enrolment proof with more than one signature, or larger than a proof can be, before verifying', async () => {
    const server = await startTestServer(`${tmp.dir}/server2`);
    const { core, who } = await openWorkstation(`${tmp.dir}/ws2`);
    try {
      const key = (await core.ctx.keyVault.load()) as PrivateJwk;
      const proof = signEnvelope(ENROL_PAYLOAD_TYPE, Buffer.from(JSON.stringify({ token: 'cbenrol_made_up_token_xxxxxxxx', deviceId: who.deviceId })), key);
      const post = (p: string) =>
        fetch(`${server.url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ publicKey: toPublic(key), proof: p }) }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error: { code: string; message: string } } }));
      const two = await post(JSON.stringify({ ...proof, signatures: [proof.signatures[0]!, proof.signatures[0]!] }));
      expect(two).toMatchObject({ status: 400, body: { error: { code: 'bad_signature', message: expect.stringContaining('allows at most 1') } } });
      const big = await post(JSON.stringify({ ...proof, signatures: Array.from({ length: 2000 }, () => proof.signatures[0]!) }));
      expect(big).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message: expect.stringMatching(/^body\.proof:/) } } });
    } finally {
      await core.close();
      await server.close();
    }
  });
});
