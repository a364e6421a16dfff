import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core.ts';
import { createEnrolToken } from '../../../server/admin-auth.ts';
import type { TokenBinding } from '../../../server/storage/types.ts';
import type { IdentityView } from '../../../shared/contract/index.ts';
import { ENROL_PAYLOAD_TYPE, GENESIS_HASH } from '../../../shared/domain/index.ts';
import { signEnvelope } from '../../../shared/node/dsse.ts';
import { toPublic, type PrivateJwk } from '../../../shared/node/keys.ts';
import { signRequest } from '../../../shared/node/request-signature.ts';
import { BACKENDS, bindingOf, enrolWorkstation, fakeAdjudication, fakeAnnotation, fillOutbox, freshPgDatabase, openWorkstation, postBatch, signedBatch, startTestServer, tempDir } from './helpers.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.each(BACKENDS)('roles and users are bound by the enrolment token, never claimed (%s storage)', (backend) => {
  let tmp: ReturnType<typeof tempDir>;
  let server: Server;
  let pg: { url: string; drop: () => Promise<void> } | null = null;
  const open: Core[] = [];

  beforeEach(async () => {
    tmp = tempDir('cb-bound-');
    pg = backend === 'postgres' ? await freshPgDatabase() : null;
    server = await startTestServer(`${tmp.dir}/server`, pg ? { databaseUrl: pg.url } : {});
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    await server.close();
    await pg?.drop();
    tmp.cleanup();
  });

  const workstation = async (name: string, role: IdentityView['role'] = 'annotator') => {
    const ws = await openWorkstation(`${tmp.dir}/${name}`, {}, role);
    open.push(ws.core);
    return { ...ws, key: (await ws.core.ctx.keyVault.load()) as PrivateJwk };
  };
  const token = async (b: TokenBinding) => (await createEnrolToken(server.storage, b, 'test', new Date())).token;
  const identity = async (core: Core) => {
    const r = await core.call('identity.get', {});
    if (!r.ok) throw new Error(r.error.message);
    return r.result as IdentityView;
  };
  const reviewRoute = (key: PrivateJwk, deviceId: string, path: string) => fetch(`${server.url}${path}`, { headers: signRequest(key, deviceId, 'GET', path, new Date()) }).then((r) => r.status);

  it("refuses a proof claiming a role the token does not grant, without using the token; the device is then the token's annotator and may not read others' work", async () => {
    const { core, who, key } = await workstation('ws');
    const t = await token({ userId: who.userId, displayName: who.displayName, role: 'annotator' });
    // What an older or a hostile client sends: its own word for user, name and role.
    const statement = { token: t, deviceId: who.deviceId, userId: who.userId, displayName: who.displayName, role: 'reviewer' };
    const proof = JSON.stringify(signEnvelope(ENROL_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), key));
    const res = await fetch(`${server.url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ publicKey: toPublic(key), proof }) });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'token_mismatch', message: expect.stringMatching(/token is for Dr Test as annotator .* states role "reviewer"/) });
    expect(await server.storage.listDevices()).toEqual([]);

    await core.sync.enrol(server.url, t);
    expect(await server.storage.listDevices()).toEqual([expect.objectContaining({ deviceId: who.deviceId, userId: who.userId, role: 'annotator' })]);
    expect(await reviewRoute(key, who.deviceId, '/v1/review/devices')).toBe(403);
    expect(await reviewRoute(key, who.deviceId, `/v1/review/batches?deviceId=${who.deviceId}`)).toBe(403);
  });

  it('a workstation set up as a reviewer but enrolled with an annotator token becomes that annotator, and no API makes it a reviewer again', async () => {
    const { core, who } = await workstation('ws', 'reviewer');
    const bound: TokenBinding = { userId: randomUUID(), displayName: 'Dr Bea Bound', role: 'annotator' };
    await core.sync.enrol(server.url, await token(bound));
    expect(await identity(core)).toMatchObject({ ...bound, deviceId: who.deviceId });
    expect(await core.call('sync.pullReviews', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const promote = await core.call('identity.setup', { displayName: 'Dr Bea Bound', role: 'reviewer' });
    expect(promote).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining("come from your admin's enrolment token") } });
    expect(await core.call('identity.setup', { displayName: 'Someone Else', role: 'annotator' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await core.call('identity.setup', { displayName: 'Dr Bea Bound', role: 'annotator' })).toMatchObject({ ok: true });
    expect((await identity(core)).role).toBe('annotator');
  });

  it("refuses records authored by another user: a token for Mallory cannot put work in Ada's name; Ada's second device enrols only with a token for Ada", async () => {
    const ada = await workstation('ada');
    await enrolWorkstation(ada.core, server);
    const mallory = await workstation('mallory');
    await mallory.core.sync.enrol(server.url, await token({ userId: randomUUID(), displayName: 'Mallory', role: 'annotator' }));
    const m = await identity(mallory.core);
    const forged = fakeAnnotation({ userId: ada.who.userId, displayName: ada.who.displayName, deviceId: m.deviceId }, 1);
    const res = await postBatch(server.url, signedBatch(mallory.key, m.deviceId, 1, GENESIS_HASH, [{ type: 'annotation', record: forged }]));
    expect(res.status).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'not_your_work', message: expect.stringContaining('annotatorId is not the user enrolled with device') });
    expect(await server.storage.progress()).toEqual([]);

    const second = await workstation('ada-laptop');
    await second.core.sync.enrol(server.url, await token(bindingOf(ada.who)));
    const adaAgain = await identity(second.core);
    expect(adaAgain).toMatchObject({ userId: ada.who.userId, displayName: ada.who.displayName });
    await fillOutbox(second.core, adaAgain, 3);
    expect((await second.core.sync.syncNow()).state).toBe('done');
    expect(await server.storage.progress()).toEqual([expect.objectContaining({ annotatorId: ada.who.userId, annotations: 3 })]);
  });

  it('a workstation that already holds its own work is refused a token for someone else, and the token is not used up', async () => {
    const { core, who } = await workstation('ws');
    await fillOutbox(core, who, 2);
    const cy: TokenBinding = { userId: randomUUID(), displayName: 'Dr Cy', role: 'annotator' };
    const t = await token(cy);
    const refused = await core.call('sync.enrol', { serverUrl: server.url, token: t });
    expect(refused).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringContaining(`ask your admin for a token issued with --user ${who.userId}`) } });
    expect(await identity(core)).toMatchObject({ userId: who.userId });
    expect(await server.storage.listDevices()).toEqual([]);
    const fresh = await workstation('ws-cy');
    await fresh.core.sync.enrol(server.url, t);
    expect(await identity(fresh.core)).toMatchObject(cy);
  });

  it("refuses an adjudication from an annotator's device on the server, and a reviewer's workstation refuses the same batch file", async () => {
    const annotator = await workstation('annotator');
    await enrolWorkstation(annotator.core, server);
    const reviewer = await workstation('reviewer', 'reviewer');
    await enrolWorkstation(reviewer.core, server);
    const base = fakeAnnotation(annotator.who, 1);
    const bytes = signedBatch(annotator.key, annotator.who.deviceId, 1, GENESIS_HASH, [
      { type: 'annotation', record: base },
      { type: 'adjudication', record: fakeAdjudication(annotator.who, base) },
    ]);
    const res = await postBatch(server.url, bytes);
    expect(res.status).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'role_forbidden', message: expect.stringContaining('enrolled as annotator; only reviewers') });

    expect(await reviewer.core.call('sync.pullReviews', {})).toMatchObject({ ok: true, result: { devices: 1, failed: [] } });
    const file = `${tmp.dir}/${annotator.who.deviceId}-00000001.cbatch`;
    writeFileSync(file, bytes);
    const received = await reviewer.core.call('sync.importBatches', { files: [file] });
    expect(received).toMatchObject({ ok: true, result: { results: [{ ok: false, message: expect.stringContaining('only reviewers') }] } });
    expect(await reviewer.core.exclusive(() => reviewer.core.ctx.db.prepare('SELECT COUNT(*) AS n FROM received_batches').get())).toEqual({ n: 0 });

    // The reviewer's own adjudication of the same task is accepted.
    const ok = await postBatch(server.url, signedBatch(reviewer.key, reviewer.who.deviceId, 1, GENESIS_HASH, [{ type: 'adjudication', record: fakeAdjudication(reviewer.who, base) }]));
    expect(ok.status).toBe(200);
  });
});
