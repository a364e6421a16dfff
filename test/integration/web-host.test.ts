import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import { startWebHost, type WebHost } from '../../electron/web-host/server.ts';
import { coreWithMinimal, tempDir } from '../helpers/workspace.ts';

let t: ReturnType<typeof tempDir>;
let core: Core;
let host: WebHost;

function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: opts.method ?? 'GET', headers: { Host: `127.0.0.1:${host.port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const api = (method: string, body: unknown, token = host.token) =>
  raw(`/api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

beforeEach(async () => {
  t = tempDir();
  ({ core } = await coreWithMinimal(t.dir));
  const staticDir = join(t.dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Casebook</title>');
  writeFileSync(join(t.dir, 'secret.txt'), 'outside the static root');
  host = await startWebHost({ core, staticDir, port: 0 });
});
afterEach(async () => {
  await host.close();
  await core.close();
  t.cleanup();
});

describe('browser host', () => {
  it('binds loopback only and prints a URL carrying the token in the fragment', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/#token=[0-9a-f]{48}$`));
  });

  it('serves the real core through the contract with the right token', async () => {
    const r = await api('queue.list', { bundleId: 'test.minimal' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, result: { total: 3 } });
  });

  it('refuses API calls without the token or with a wrong one', async () => {
    expect((await api('identity.get', {}, 'wrong')).status).toBe(401);
    const none = await raw('/api/identity.get', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.message).toMatch(/session token/);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const r = await raw('/api/identity.get', { method: 'POST', headers: { Host: `evil.example:${host.port}`, Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(421);
  });

  it('refuses non-JSON bodies, so a cross-site form post cannot reach the API', async () => {
    const r = await raw('/api/identity.get', { method: 'POST', headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'text/plain' }, body: '{}' });
    expect(r.status).toBe(415);
  });

  it('answers an over-size body with 413 and its reason, declared or streamed, instead of resetting the connection', async () => {
    const big = 'x'.repeat(17 * 1024 * 1024);
    const declared = await raw('/api/identity.get', { method: 'POST', headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringMatching(/larger than 16 MiB/) } });
    // Chunked: no length up front, so the cap is found while reading.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, path: '/api/identity.get', method: 'POST', headers: { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 0x78);
      for (let i = 0; i < 17; i++) req.write(chunk);
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error.message).toMatch(/larger than 16 MiB/);
    // The host still answers afterwards.
    expect((await api('identity.get', {})).status).toBe(200);
  });

  it('maps contract errors to HTTP statuses with the typed error body', async () => {
    const r = await api('tasks.open', { bundleId: 'test.minimal', taskId: 'nope' });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('serves pages with a strict CSP and never a file outside its root', async () => {
    const page = await raw('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    // Scripts: never inline, never eval. Styles allow 'unsafe-inline' only for Monaco's runtime
    // <style> elements (see shared/security/csp.ts); nothing else may be loosened.
    const csp = String(page.headers['content-security-policy']);
    const directive = (name: string): string => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(csp.replace(directive('style-src'), '')).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(directive('style-src')).toBe("style-src 'self' 'unsafe-inline'");
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const r = await raw(p);
      expect(r.body).not.toContain('outside the static root');
    }
  });
});
