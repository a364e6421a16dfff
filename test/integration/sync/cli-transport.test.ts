import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../electron/cli/main.ts';
import { fillOutbox, openWorkstation, tempDir } from './helpers.ts';
import { BATCH_PAYLOAD_TYPE } from '../../../shared/domain/index.ts';
import { verifyEnvelope } from '../../../shared/node/dsse.ts';
import { keyId, type PublicJwk } from '../../../shared/node/keys.ts';
import { freePort, sigkill, spawnServer } from './processes.ts';

const tmp = tempDir('cb-cli-');
afterAll(() => tmp.cleanup());

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (l) => (out += l + '\n'), err: (l) => (err += l + '\n') });
  return { code, out, err };
}

describe('casebook command: server admin, enrol, sync, and batch files by hand', () => {
  it('works end to end, and a batch file carried on a stick gets the same verification as a push', async () => {
    const serverDir = join(tmp.dir, 'server');
    const wsDir = join(tmp.dir, 'ws');
    const stick = join(tmp.dir, 'usb');

    const init = await cli('server', 'init', '--data', serverDir);
    expect(init.code).toBe(0);
    expect(init.out).toMatch(/^cbadm_/);
    expect((await cli('server', 'init', '--data', serverDir)).code).toBe(1);
    const { core, who } = await openWorkstation(wsDir);
    await fillOutbox(core, who, 30);
    await core.close();
    // A token enrols one user in one role; the admin must say which.
    const unbound = await cli('server', 'token', '--data', serverDir, '--label', 'Dr Test laptop');
    expect(unbound).toMatchObject({ code: 2, err: expect.stringContaining('an enrolment token enrols one user in one role: give --user, --name, --role') });
    expect(await cli('server', 'token', '--data', serverDir, '--user', who.userId, '--name', 'Dr Test', '--role', 'boss')).toMatchObject({ code: 2, err: expect.stringContaining('--role: "boss" is not annotator, reviewer or admin') });
    const issued = await cli('server', 'token', '--data', serverDir, '--user', who.userId, '--name', 'Dr Test', '--role', 'annotator', '--label', 'Dr Test laptop');
    expect(issued.err).toContain(`for Dr Test as annotator (user ${who.userId})`);
    const token = issued.out.trim();
    expect(token).toMatch(/^cbenrol_/);

    const port = await freePort();
    let server = await spawnServer(serverDir, port);
    try {
      const enrolled = await cli('enrol', '--data', wsDir, '--server', `http://127.0.0.1:${port}`, '--token', token);
      expect(enrolled).toMatchObject({ code: 0, out: expect.stringContaining(`enrolled device ${who.deviceId} with http://127.0.0.1:${port} for Dr Test as annotator`) });
      const reused = await cli('enrol', '--data', wsDir, '--server', `http://127.0.0.1:${port}`, '--token', token);
      expect(reused).toMatchObject({ code: 1, err: expect.stringContaining('already been used') });
      expect(await cli('sync', '--data', wsDir)).toMatchObject({ code: 0, out: expect.stringContaining('1 batch sent') });

      // Offline: the sync fails in plain words, the work goes out on a stick instead.
      await sigkill(server);
      const ws = await openWorkstation(wsDir);
      await fillOutbox(ws.core, ws.who, 20, 1000);
      await ws.core.close();
      const offline = await cli('sync', '--data', wsDir);
      expect(offline.code).toBe(3);
      expect(offline.err).toMatch(/Cannot reach the sync server .*Your work is safe/);
      const exported = await cli('batches', 'export', '--data', wsDir, '--out', stick, '--from', '2');
      expect(exported.code).toBe(0);
      const files = readdirSync(stick).map((f) => join(stick, f));
      expect(files.map((f) => f.split('/').pop())).toEqual([`${who.deviceId}-00000002.cbatch`]);

      const tampered = join(tmp.dir, 'tampered.cbatch');
      const bytes = readFileSync(files[0]!);
      bytes[bytes.length - 30] = bytes[bytes.length - 30]! ^ 0x04;
      writeFileSync(tampered, bytes);
      expect(await cli('batches', 'import', tampered, '--data', serverDir)).toMatchObject({ code: 1, err: expect.stringContaining('refused') });
      expect(await cli('batches', 'import', ...files, '--data', serverDir)).toMatchObject({ code: 0, out: expect.stringContaining('accepted') });
      expect(await cli('batches', 'import', ...files, '--data', serverDir)).toMatchObject({ code: 0, out: expect.stringContaining('already accepted') });

      // Back online: the workstation learns its batch arrived (the original receipt), nothing doubles.
      server = await spawnServer(serverDir, port);
      expect(await cli('sync', '--data', wsDir)).toMatchObject({ code: 0, out: expect.stringContaining('0 records waiting') });
      await sigkill(server);
      const db = new BetterSqlite3(join(serverDir, 'server.sqlite'), { readonly: true });
      expect(db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM records').get()).toEqual({ n: 50, d: 50 });
      db.close();

      const devices = await cli('server', 'devices', '--data', serverDir, '--json');
      expect(JSON.parse(devices.out)).toEqual([expect.objectContaining({ deviceId: who.deviceId, lastSeq: 2, revokedAt: null, publicKey: who.devicePublicKey })]);
      // Checking a .cbatch by hand: the device's public key from either side verifies the file.
      const status = JSON.parse((await cli('status', '--data', wsDir, '--json')).out) as { device: { deviceId: string; keyId: string; publicKey: PublicJwk } };
      expect(status.device).toMatchObject({ deviceId: who.deviceId, keyId: keyId(who.devicePublicKey), publicKey: who.devicePublicKey });
      expect(verifyEnvelope(readFileSync(files[0]!), BATCH_PAYLOAD_TYPE, [status.device.publicKey]).signer).toEqual(who.devicePublicKey);
      const progress = JSON.parse((await cli('server', 'progress', '--data', serverDir, '--json')).out);
      expect(progress).toEqual([expect.objectContaining({ annotatorId: who.userId, bundleId: 'bench.sync', annotations: 50 })]);
      const exportFile = join(tmp.dir, 'export.jsonl');
      expect((await cli('server', 'export', '--data', serverDir, '--out', exportFile)).code).toBe(0);
      const lines = readFileSync(exportFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toHaveLength(50);
      expect(lines[0]).toMatchObject({ kind: 'annotation', deviceId: who.deviceId, record: { annotatorId: who.userId } });
      expect(await cli('server', 'revoke', who.deviceId, '--data', serverDir)).toMatchObject({ code: 0 });
      const openapi = JSON.parse((await cli('server', 'openapi')).out);
      expect(Object.keys(openapi.paths)).toContain('/v1/batches');
    } finally {
      await sigkill(server);
    }
  }, 90_000);
});
