import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Envelope } from '../../shared/contract/index.ts';
import { RENDERER_CSP } from '../../shared/security/csp.ts';
import type { Core } from '../core/core.ts';
import { readStatic, resolveStatic } from './static.ts';

export interface WebHostOptions {
  core: Core;
  /** The built renderer (out/renderer). */
  staticDir: string;
  port: number;
  token?: string;
}

export interface WebHost {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const SECURITY_HEADERS = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/**
 * Development and end-to-end host: the real core and the built renderer on 127.0.0.1 only.
 * Every API call needs the per-run token; the Host header must name the loopback address
 * we bound, so a DNS-rebinding page on another origin cannot reach the API either.
 */
export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const tokenBuf = Buffer.from(token);
  const staticDir = resolve(opts.staticDir);
  const sse = new Set<ServerResponse>();
  let port = 0;

  const authorised = (presented: string | null | undefined) => {
    if (!presented) return false;
    const b = Buffer.from(presented);
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf);
  };

  const unsubscribe = opts.core.subscribe((event) => {
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of sse) res.write(line);
  });

  const server = createServer(async (req, res) => {
    try {
      const host = req.headers.host ?? '';
      if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, 421, 'text/plain', 'Misdirected request');
      const url = new URL(req.url ?? '/', `http://${host}`);
      if (url.pathname === '/api/events') {
        if (!authorised(url.searchParams.get('token'))) return send(res, 401, 'text/plain', 'Unauthorised');
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', ...SECURITY_HEADERS });
        res.write(': connected\n\n');
        sse.add(res);
        req.on('close', () => sse.delete(res));
        return;
      }
      if (url.pathname.startsWith('/api/')) return await handleApi(req, res, url.pathname.slice(5));
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method not allowed');
      const file = (await resolveStatic(staticDir, url.pathname)) ?? (await resolveStatic(staticDir, '/index.html'));
      if (!file) return send(res, 503, 'text/plain', 'The renderer is not built: run `npm run build`.');
      const body = await readStatic(file.path);
      res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-cache', ...SECURITY_HEADERS });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      console.error('[web-host] request failed:', (e as Error).message);
      if (!res.headersSent) send(res, 500, 'text/plain', 'Internal error');
      else res.end();
    }
  });

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'Method not allowed');
    const auth = req.headers.authorization;
    if (!authorised(auth?.startsWith('Bearer ') ? auth.slice(7) : null)) {
      return sendEnvelope(res, 401, { ok: false, error: { code: 'invalid_request', message: 'Missing or wrong session token: open the URL the host printed' } });
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendEnvelope(res, 415, { ok: false, error: { code: 'invalid_request', message: 'Requests must be application/json' } });
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8') || '{}');
    } catch (e) {
      if (!(e instanceof BodyTooLarge)) return sendEnvelope(res, 400, { ok: false, error: { code: 'invalid_request', message: (e as Error).message } });
      // Answer, then read the rest away, so the client sees the 413 instead of a reset connection.
      res.setHeader('Connection', 'close');
      sendEnvelope(res, 413, { ok: false, error: { code: 'invalid_request', message: e.message } });
      return drain(req);
    }
    const envelope = await opts.core.call(method, body);
    sendEnvelope(res, envelope.ok ? 200 : statusFor(envelope.error.code), envelope);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    token,
    port,
    close: async () => {
      unsubscribe();
      for (const r of sse) r.end();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

function statusFor(code: string): number {
  return ({ invalid_request: 400, not_found: 404, validation_failed: 422, conflict: 409, refused: 403, forbidden: 403, not_set_up: 412, locked: 423 } as Record<string, number>)[code] ?? 500;
}

function send(res: ServerResponse, status: number, type: string, text: string): void {
  res.writeHead(status, { 'Content-Type': type, ...SECURITY_HEADERS });
  res.end(text);
}

function sendEnvelope(res: ServerResponse, status: number, envelope: Envelope): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS });
  res.end(JSON.stringify(envelope));
}

class BodyTooLarge extends Error {
  constructor() {
    super(`The request is larger than ${MAX_BODY_BYTES / (1024 * 1024)} MiB`);
  }
}

/** Reads a body up to the cap; over it (declared or actual), stops keeping it and says so. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((ok, fail) => {
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return fail(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(c);
      req.off('data', onData);
      fail(new BodyTooLarge());
    };
    req.on('data', onData);
    req.on('end', () => ok(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

/** Discards what is left of a refused body, up to a bound past which the connection is cut. */
function drain(req: IncomingMessage): void {
  let extra = 0;
  req.on('data', (c: Buffer) => {
    extra += c.length;
    if (extra > 4 * MAX_BODY_BYTES) req.destroy();
  });
  req.resume();
}
