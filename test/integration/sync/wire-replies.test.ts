import { afterAll, describe, expect, it } from 'vitest';
import { defaultFetch, type FetchFn } from '../../../electron/core/sync/http.ts';
import { enrolWorkstation, openWorkstation, startTestServer, tempDir } from './helpers.ts';

const tmp = tempDir('cb-wire-');
afterAll(() => tmp.cleanup());

/** A reply rewritten on its way back, as a misconfigured proxy or a foreign server would answer. */
function rewriting(path: string, body: unknown): FetchFn {
  return async (url, init) => {
    const res = await defaultFetch(url, init);
    if (new URL(url).pathname !== path) return res;
    const bytes = Buffer.from(JSON.stringify(body));
    return { status: 200, headers: res.headers, arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer };
  };
}

describe('the sync client parses every server reply with the wire schemas (shared/sync/wire.ts)', () => {
  it('refuses a device list of the wrong shape in words and stores nothing from it', async () => {
    const server = await startTestServer(`${tmp.dir}/server`);
    const forged = [{ deviceId: 'dev_x', publicKey: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) }, userId: 'u', displayName: 'X', role: 'superuser', revokedAt: null, lastSeq: 0 }];
    const { core } = await openWorkstation(`${tmp.dir}/ws`, { sync: { fetch: rewriting('/v1/review/devices', forged) } }, 'reviewer');
    try {
      await enrolWorkstation(core, server);
      const res = await core.call('sync.pullReviews', {});
      expect(res).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringMatching(/answer to the device list is not what this workstation expects \(0\.role/) } });
      expect(await core.exclusive(() => core.ctx.db.prepare('SELECT COUNT(*) AS n FROM known_devices').get())).toEqual({ n: 0 });
    } finally {
      await core.close();
      await server.close();
    }
  });

  it('refuses a bundle list of the wrong shape', async () => {
    const server = await startTestServer(`${tmp.dir}/server2`);
    const { core } = await openWorkstation(`${tmp.dir}/ws2`, { sync: { fetch: rewriting('/v1/device/bundles', { bundles: [] }) } });
    try {
      await enrolWorkstation(core, server);
      expect(await core.call('sync.pull', {})).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringContaining('answer to the bundle list is not what this workstation expects') } });
    } finally {
      await core.close();
      await server.close();
    }
  });
});
