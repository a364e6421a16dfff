import { afterAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../server/routes.ts';
import { bindingOf, enrolWorkstation, fillOutbox, openWorkstation, startTestServer, storedBatch, tempDir } from './helpers.ts';
import { freePort, sigkill, spawnServer, waitFor } from './processes.ts';

const tmp = tempDir('cb-admin-');
afterAll(() => tmp.cleanup());

describe('server administration and limits', () => {
  it('admin routes need the admin token; tokens, devices, revocation, progress, export and bundles work over HTTP', async () => {
    const server = await startTestServer(`${tmp.dir}/a`);
    const admin = { authorization: `Bearer ${server.adminToken}` };
    const call = async (method: string, path: string, init: { headers?: Record<string, string>; body?: string | Buffer } = {}) => {
      const res = await fetch(`${server.url}${path}`, { method, ...init });
      const text = await res.text();
      return { status: res.status, text, json: () => JSON.parse(text) };
    };
    try {
      for (const r of ROUTES.filter((x) => x.auth === 'admin')) {
        const res = await call(r.method, r.url.replace(':deviceId', 'x').replace(':bundleId', 'b').replace(':version', '1'), { headers: { authorization: 'Bearer wrong' } });
        expect(res.status, `${r.method} ${r.url}`).toBe(401);
      }
      const badToken = await call('POST', '/v1/admin/enrol-tokens', { headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ userId: '6f1c4f8e-6a8b-4d0a-9a39-4b3f9b2d8e11', displayName: 'Ada', role: 'annotator', ttlHours: 0 }) });
      expect(badToken.status).toBe(400);
      expect(badToken.json().error.message).toMatch(/^body\.ttlHours:/);
      // A token enrols one user in one role: one without them is refused at issue time.
      const unbound = await call('POST', '/v1/admin/enrol-tokens', { headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ label: 'Dr Test' }) });
      expect(unbound.status).toBe(400);
      expect(unbound.json().error.message).toMatch(/^body\.userId:/);
      const { core, who } = await openWorkstation(`${tmp.dir}/ws`);
      const tok = await call('POST', '/v1/admin/enrol-tokens', { headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ label: 'Dr Test', ...bindingOf(who) }) });
      expect(tok.status).toBe(200);
      expect(tok.json()).toMatchObject({ userId: who.userId, displayName: who.displayName, role: 'annotator' });
      try {
        await core.sync.enrol(server.url, tok.json().token);
        await fillOutbox(core, who, 12);
        expect((await core.sync.syncNow()).state).toBe('done');
      } finally {
        await core.close();
      }
      expect((await call('GET', '/v1/admin/devices', { headers: admin })).json()).toEqual([expect.objectContaining({ deviceId: who.deviceId, lastSeq: 1, revokedAt: null })]);
      expect((await call('GET', '/v1/admin/progress', { headers: admin })).json()).toEqual([expect.objectContaining({ annotatorId: who.userId, annotations: 12 })]);
      const exported = (await call('GET', '/v1/admin/export?limit=5', { headers: admin })).text.trim().split('\n');
      expect(exported).toHaveLength(5);
      expect(JSON.parse(exported[0]!)).toMatchObject({ kind: 'annotation', deviceId: who.deviceId });
      expect((await call('POST', `/v1/admin/devices/${who.deviceId}/revoke`, { headers: admin })).json()).toEqual({ revoked: true });

      const bundle = Buffer.from('PK fake bundle bytes');
      const put = (version: number, body: Buffer) => call('PUT', `/v1/admin/bundles/med.dosing/${version}`, { headers: { ...admin, 'content-type': 'application/octet-stream' }, body });
      expect((await put(2, bundle)).json()).toEqual({ status: 'stored' });
      expect((await put(2, bundle)).json()).toEqual({ status: 'exists' });
      expect((await put(2, Buffer.from('other'))).status).toBe(409);
      expect((await put(1, bundle)).status).toBe(409);
      expect((await call('GET', '/v1/admin/bundles', { headers: admin })).json()).toEqual([expect.objectContaining({ bundleId: 'med.dosing', version: 2, size: bundle.length })]);

      const openapi = (await call('GET', '/v1/openapi.json')).json();
      expect(Object.keys(openapi.paths).sort()).toEqual([...new Set(ROUTES.map((r) => r.url.replace(/:([A-Za-z]+)/g, '{$1}')))].sort());
      expect((await call('GET', '/v1/nowhere')).json().error.code).toBe('not_found');
    } finally {
      await server.close();
    }
  });

  it('refuses bodies over the size limit and rate-limits a runaway client', async () => {
    const server = await startTestServer(`${tmp.dir}/b`, { bodyLimit: 64 * 1024, rateLimit: { perSecond: 1, burst: 5 } });
    try {
      const big = await fetch(`${server.url}/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/vnd.casebook.batch+json' }, body: Buffer.alloc(100 * 1024, 0x20) });
      expect(big.status).toBe(413);
      expect(((await big.json()) as { error: { code: string } }).error.code).toBe('too_large');
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await fetch(`${server.url}/v1/health`)).status);
      expect(statuses).toContain(429);
      const limited = await fetch(`${server.url}/v1/health`);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await server.close();
    }
  });

  it('logs say what happened without payloads, tokens or keys', async () => {
    const dir = `${tmp.dir}/c`;
    const port = await freePort();
    const server = await spawnServer(dir, port, { CASEBOOK_LOG_LEVEL: 'info' });
    const adminToken = /admin token \(shown once, store it safely\): (\S+)/.exec(server.output())![1]!;
    try {
      const { core, who } = await openWorkstation(`${tmp.dir}/ws-c`);
      const tok = (await (
        await fetch(`http://127.0.0.1:${port}/v1/admin/enrol-tokens`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(bindingOf(who)),
        })
      ).json()) as { token: string };
      let envelope: Buffer;
      try {
        await core.sync.enrol(`http://127.0.0.1:${port}`, tok.token);
        await fillOutbox(core, who, 3);
        expect((await core.sync.syncNow()).state).toBe('done');
        envelope = await storedBatch(core, 1);
      } finally {
        await core.close();
      }
      await waitFor(server, /"msg":"batch accepted"/);
      const logs = server.output().replace(/admin token \(shown once[^\n]*\n/, '');
      expect(logs).toMatch(/"msg":"batch accepted"/);
      expect(logs).toContain(who.deviceId);
      const payload = JSON.parse(envelope.toString()).payload as string;
      for (const secret of [adminToken, tok.token, payload.slice(100, 140), who.displayName, 'Response two is right']) expect(logs).not.toContain(secret);
    } finally {
      await sigkill(server);
    }
  });
});

describe('background sync', () => {
  it('sends waiting work by itself once the server becomes reachable', async () => {
    const port = await freePort();
    let server = await startTestServer(`${tmp.dir}/d`, { port });
    const { core, who } = await openWorkstation(`${tmp.dir}/ws-d`, { sync: { retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10, timeoutMs: 2_000 } } });
    try {
      await enrolWorkstation(core, server);
      await server.close();
      await fillOutbox(core, who, 7);
      core.sync.startAuto(100);
      await new Promise((r) => setTimeout(r, 400));
      expect(core.sync.status()).toMatchObject({ online: false, outbox: { unsent: 7 } });
      server = await startTestServer(`${tmp.dir}/d`, { port });
      const deadline = Date.now() + 10_000;
      while (core.sync.status().outbox.unsent > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(core.sync.status()).toMatchObject({ online: true, outbox: { unsent: 0 }, lastError: null });
      expect((await server.storage.countRecords()).total).toBe(7);
    } finally {
      await core.close();
      await server.close();
    }
  });
});
