import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../shared/node/bundle/index.ts';
import { generateKeyPair } from '../../../shared/node/keys.ts';
import { signRequest } from '../../../shared/node/request-signature.ts';
import { addTrustedKey } from '../../../electron/core/trust/trust-store.ts';
import { enrolWorkstation, openWorkstation, startTestServer, tempDir } from './helpers.ts';

const MINIMAL = fileURLToPath(new URL('../../fixtures/bundle-src/minimal', import.meta.url));
const tmp = tempDir('cb-pull-');
afterAll(() => tmp.cleanup());

async function bundleFile(name: string, version: number, key = org.privateJwk): Promise<Buffer> {
  const src = `${tmp.dir}/src-${name}`;
  cpSync(MINIMAL, src, { recursive: true });
  const meta = JSON.parse(readFileSync(`${src}/bundle.json`, 'utf8'));
  writeFileSync(`${src}/bundle.json`, JSON.stringify({ ...meta, id: name.split('@')[0], version }));
  await buildBundle({ sourceDir: src, key, outFile: `${tmp.dir}/${name}.cbundle` });
  return readFileSync(`${tmp.dir}/${name}.cbundle`);
}
const org = generateKeyPair();

describe('pull: new bundle versions reach enrolled workstations', () => {
  it('downloads newer versions, imports them with local verification, and refuses what is not trusted', async () => {
    const server = await startTestServer(`${tmp.dir}/server`);
    const { core, who } = await openWorkstation(`${tmp.dir}/ws`);
    const upload = async (id: string, version: number, bytes: Buffer) => {
      const res = await fetch(`${server.url}/v1/admin/bundles/${id}/${version}`, { method: 'PUT', headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/octet-stream' }, body: bytes });
      expect(res.status).toBe(200);
    };
    try {
      await core.exclusive(() => addTrustedKey(core.ctx.db, { jwk: org.publicJwk, label: 'Org', bundlePrefix: null }, new Date()));
      await enrolWorkstation(core, server);
      await upload('test.minimal', 1, await bundleFile('test.minimal@1', 1));
      await upload('test.rogue', 1, await bundleFile('test.rogue@1', 1, generateKeyPair().privateJwk));

      const first = await core.call('sync.pull', {});
      expect(first).toMatchObject({ ok: true, result: { imported: [{ bundleId: 'test.minimal', version: 1 }], failed: [{ bundleId: 'test.rogue', version: 1, message: expect.stringMatching(/trust/i) }] } });
      const again = await core.call('sync.pull', {});
      expect(again).toMatchObject({ ok: true, result: { imported: [] } });

      await upload('test.minimal', 2, await bundleFile('test.minimal@2', 2));
      const second = await core.call('sync.pull', {});
      expect(second).toMatchObject({ ok: true, result: { imported: [{ bundleId: 'test.minimal', version: 2 }] } });
      const list = await core.call('bundles.list', {});
      expect(list.ok && (list.result as { id: string; version: number }[]).map((b) => [b.id, b.version])).toEqual([['test.minimal', 2]]);

      // Only signed requests from enrolled, unrevoked devices may pull.
      const key = (await core.ctx.keyVault.load())!;
      const get = (headers: Record<string, string>) => fetch(`${server.url}/v1/device/bundles`, { headers }).then((r) => r.status);
      expect(await get({})).toBe(401);
      expect(await get(signRequest(key, who.deviceId, 'GET', '/v1/device/bundles', new Date()))).toBe(200);
      expect(await get(signRequest(key, who.deviceId, 'GET', '/v1/device/bundles', new Date(Date.now() - 10 * 60_000)))).toBe(401);
      expect(await get(signRequest(generateKeyPair().privateJwk, who.deviceId, 'GET', '/v1/device/bundles', new Date()))).toBe(401);
      expect(await get(signRequest(key, who.deviceId, 'GET', '/v1/admin/bundles', new Date()))).toBe(401);
      await server.storage.revokeDevice(who.deviceId, new Date().toISOString());
      expect(await get(signRequest(key, who.deviceId, 'GET', '/v1/device/bundles', new Date()))).toBe(401);
      const refused = await core.call('sync.pull', {});
      expect(refused).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringContaining('enrolled, unrevoked device') } });
    } finally {
      await core.close();
      await server.close();
    }
  });
});

describe('a pulled bundle imports as the core import job, not as one writer turn', () => {
  it('answers queue.list while a large pulled bundle is still being imported', async () => {
    const server = await startTestServer(`${tmp.dir}/server-big`);
    const { core } = await openWorkstation(`${tmp.dir}/ws-big`);
    try {
      await core.exclusive(() => addTrustedKey(core.ctx.db, { jwk: org.publicJwk, label: 'Org', bundlePrefix: null }, new Date()));
      await enrolWorkstation(core, server);
      await bundleFile('test.minimal@1', 1);
      expect(await core.call('bundles.importFile', { path: `${tmp.dir}/test.minimal@1.cbundle` })).toMatchObject({ ok: true });
      const src = `${tmp.dir}/src-big`;
      cpSync(MINIMAL, src, { recursive: true });
      const meta = JSON.parse(readFileSync(`${src}/bundle.json`, 'utf8'));
      writeFileSync(`${src}/bundle.json`, JSON.stringify({ ...meta, id: 'test.big', version: 1 }));
      const line = (i: number) =>
        JSON.stringify({ id: `t${i}`, kind: 'compare', context: [{ role: 'user', content: `Question ${i}?` }], responses: [{ id: 'r1', content: `One answer to ${i}, with words.` }, { id: 'r2', content: `Another answer to ${i}.` }] });
      writeFileSync(`${src}/tasks.jsonl`, Array.from({ length: 15_000 }, (_, i) => line(i)).join('\n') + '\n');
      await buildBundle({ sourceDir: src, key: org.privateJwk, outFile: `${tmp.dir}/big.cbundle` });
      const res = await fetch(`${server.url}/v1/admin/bundles/test.big/1`, { method: 'PUT', headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/octet-stream' }, body: readFileSync(`${tmp.dir}/big.cbundle`) });
      expect(res.status).toBe(200);

      let pulled = false;
      const pulling = core.call('sync.pull', {}).finally(() => (pulled = true));
      const state = () => (core.ctx.db.prepare("SELECT state FROM bundles WHERE id = 'test.big'").get() as { state: string } | undefined)?.state ?? null;
      let answeredWhileImporting = 0;
      while (!pulled) {
        const q = await core.call('queue.list', { bundleId: 'test.minimal', limit: 5 });
        expect(q.ok).toBe(true);
        // The pulled bundle is half staged, invisible, while other calls are still answered.
        if (state() === 'staging') answeredWhileImporting++;
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(await pulling).toMatchObject({ ok: true, result: { imported: [{ bundleId: 'test.big', version: 1 }], failed: [] } });
      expect(state()).toBe('ready');
      expect(answeredWhileImporting).toBeGreaterThan(2);
    } finally {
      await core.close();
      await server.close();
    }
  }, 60_000);
});
