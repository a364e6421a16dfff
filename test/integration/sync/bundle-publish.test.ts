import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../electron/cli/main.ts';
import { buildBundle } from '../../../shared/node/bundle/index.ts';
import { MINIMAL_SRC, call, callError } from '../../helpers/workspace.ts';
import { ORG_KEY, STRANGER_KEY } from '../../support/fixture-keys.ts';
import { workstation } from '../../support/workstation.ts';
import { enrolWorkstation, startTestServer, tempDir } from './helpers.ts';
import { freePort } from './processes.ts';

const tmp = tempDir('cb-publish-');
afterAll(() => tmp.cleanup());

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
beforeAll(async () => {
  server = await startTestServer(join(tmp.dir, 'server'));
});
afterAll(async () => {
  await server.close();
});

/** A real signed bundle of the minimal source at `version`, optionally with another title (other content). */
async function built(name: string, version: number, opts: { title?: string; now?: Date; key?: typeof ORG_KEY } = {}): Promise<string> {
  const src = join(tmp.dir, `src-${name}`);
  cpSync(MINIMAL_SRC, src, { recursive: true });
  const settings = JSON.parse(readFileSync(join(src, 'bundle.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(src, 'bundle.json'), JSON.stringify({ ...settings, version, ...(opts.title ? { title: opts.title } : {}) }));
  const out = join(tmp.dir, `${name}.cbundle`);
  await buildBundle({ sourceDir: src, key: (opts.key ?? ORG_KEY).privateJwk, outFile: out, ...(opts.now ? { now: opts.now } : {}) });
  return out;
}

async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = process.env.CASEBOOK_ADMIN_TOKEN;
  if ('CASEBOOK_ADMIN_TOKEN' in env) {
    if (env.CASEBOOK_ADMIN_TOKEN === undefined) delete process.env.CASEBOOK_ADMIN_TOKEN;
    else process.env.CASEBOOK_ADMIN_TOKEN = env.CASEBOOK_ADMIN_TOKEN;
  }
  try {
    const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    if (saved === undefined) delete process.env.CASEBOOK_ADMIN_TOKEN;
    else process.env.CASEBOOK_ADMIN_TOKEN = saved;
  }
}

describe('casebook bundle publish', () => {
  it("uploads a built bundle that an enrolled workstation then gets from the server, verified against its own trust", async () => {
    const file = await built('v1', 1);
    const tokenFile = join(tmp.dir, 'admin.token');
    writeFileSync(tokenFile, `${server.adminToken}\n`, { mode: 0o600 });
    const r = await cli(['bundle', 'publish', file, '--server', server.url, '--admin-token-file', tokenFile]);
    expect(r, r.err).toMatchObject({ code: 0 });
    expect(JSON.parse(r.out)).toMatchObject({ bundleId: 'test.minimal', version: 1, status: 'stored', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(r.err).toContain('published test.minimal v1');

    const ws = await workstation({ now: new Date(), trust: [{ jwk: ORG_KEY.publicJwk, label: 'Org' }], role: 'annotator' });
    try {
      await enrolWorkstation(ws.core, server);
      expect(await call(ws.core, 'sync.pull', {})).toEqual({ imported: [{ bundleId: 'test.minimal', version: 1 }], failed: [] });
    } finally {
      await ws.dispose();
    }

    // The same bytes again change nothing; the token may come from the environment.
    const again = await cli(['bundle', 'publish', file, '--server', `${server.url}/`], { CASEBOOK_ADMIN_TOKEN: server.adminToken });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ status: 'exists' });
  });

  it('says what to do for each refusal: other content under a published version, a lower version, a wrong token', async () => {
    const token = ['--admin-token', server.adminToken];
    await cli(['bundle', 'publish', await built('v3', 3), '--server', server.url, ...token]);
    const changed = await cli(['bundle', 'publish', await built('v3b', 3, { title: 'Changed' }), '--server', server.url, ...token]);
    expect(changed).toMatchObject({ code: 1 });
    expect(changed.err).toBe('casebook: the server already has version 3 or later of bundle test.minimal with other content: raise "version" in bundle.json and build again (a published version never changes)');
    const older = await cli(['bundle', 'publish', await built('v2', 2), '--server', server.url, ...token]);
    expect(older.err).toContain('already has version 2 or later of bundle test.minimal');

    const wrong = await cli(['bundle', 'publish', await built('v4', 4), '--server', server.url, '--admin-token', 'cbadm_wrong']);
    expect(wrong).toMatchObject({ code: 1 });
    expect(wrong.err).toContain(`the server at ${server.url} refused the admin token`);
    expect(wrong.err).not.toContain('cbadm_wrong');
  });

  it('refuses before uploading: not a bundle, expired, signed by a key --trust does not name, no token, a bad address, nobody listening', async () => {
    const junk = join(tmp.dir, 'junk.cbundle');
    writeFileSync(junk, 'not a zip');
    const token = ['--admin-token', server.adminToken];
    expect((await cli(['bundle', 'publish', junk, '--server', server.url, ...token])).err).toMatch(/^casebook: .*junk\.cbundle: not a bundle file/);
    expect((await cli(['bundle', 'publish', join(tmp.dir, 'missing.cbundle'), '--server', server.url, ...token])).err).toMatch(/missing\.cbundle: no such file$/);

    const stale = await built('stale', 7, { now: new Date('2024-01-01T00:00:00Z') });
    expect((await cli(['bundle', 'publish', stale, '--server', server.url, ...token])).err).toMatch(/bundle test\.minimal v7 expired at 2024-12-31T00:00:00\.000Z; workstations would refuse it/);

    const stranger = await built('stranger', 8, { key: STRANGER_KEY });
    const trust = join(tmp.dir, 'org.pub.jwk');
    writeFileSync(trust, JSON.stringify(ORG_KEY.publicJwk));
    expect((await cli(['bundle', 'publish', stranger, '--server', server.url, '--trust', trust, ...token])).err).toMatch(/refused before upload: manifest\.dsse\.json: no signature verifies under a trusted key/);

    const v9 = await built('v9', 9);
    expect(await cli(['bundle', 'publish', v9, '--server', server.url], { CASEBOOK_ADMIN_TOKEN: undefined })).toMatchObject({ code: 2, err: expect.stringContaining('no admin token') });
    expect((await cli(['bundle', 'publish', v9, '--server', server.url, '--admin-token', 'a', '--admin-token-file', trust])).code).toBe(2);
    expect((await cli(['bundle', 'publish', v9, '--server', 'ftp://example.org', ...token])).err).toContain('"ftp://example.org" is not an http(s) address');
    const nobody = `http://127.0.0.1:${await freePort()}`;
    expect((await cli(['bundle', 'publish', v9, '--server', nobody, ...token])).err).toBe(`casebook: cannot reach the sync server at ${nobody} (nothing is listening there); bundle test.minimal v9 (v9.cbundle) was not published`);
    expect((await cli(['bundle', 'publish', v9])).code).toBe(2);
  });

  it('says so when the bundle is larger than the server accepts', async () => {
    const small = await startTestServer(join(tmp.dir, 'small-server'), { bodyLimit: 1024 });
    try {
      const r = await cli(['bundle', 'publish', await built('big', 1), '--server', small.url, '--admin-token', small.adminToken]);
      expect(r.err).toMatch(/is \d+\.\d MB, more than the server at .* accepts; raise the server's request size limit/);
    } finally {
      await small.close();
    }
  });
});

describe('admin.publishBundle (the admin screen through the core)', () => {
  it('publishes, and maps each refusal to a clear error code and message', async () => {
    const admin = await workstation({ now: new Date(), role: 'admin' });
    try {
      const file = await built('core-v20', 20);
      expect(await call(admin.core, 'admin.publishBundle', { file, serverUrl: server.url, adminToken: server.adminToken })).toMatchObject({ bundleId: 'test.minimal', version: 20, status: 'stored' });
      const conflict = await callError(admin.core, 'admin.publishBundle', { file: await built('core-v20b', 20, { title: 'Other' }), serverUrl: server.url, adminToken: server.adminToken });
      expect(conflict).toMatchObject({ code: 'conflict', message: expect.stringContaining('raise "version" in bundle.json') });
      expect(await callError(admin.core, 'admin.publishBundle', { file, serverUrl: server.url, adminToken: 'nope' })).toMatchObject({ code: 'refused', message: expect.stringContaining('refused the admin token') });
      expect(await callError(admin.core, 'admin.publishBundle', { file: join(tmp.dir, 'absent.cbundle'), serverUrl: server.url, adminToken: 'x' })).toMatchObject({ code: 'validation_failed' });
      expect(await callError(admin.core, 'admin.publishBundle', { file: join(tmp.dir, 'notes.txt'), serverUrl: server.url, adminToken: 'x' })).toMatchObject({ code: 'invalid_request' });
    } finally {
      await admin.dispose();
    }
  });
});
