import type { Net, Protocol } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RENDERER_CSP } from '../../shared/security/csp.ts';

/** Must run before app ready: app:// behaves like https (secure, standard origin). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * The app:// handler: serves the built renderer from app://casebook/ with the CSP, and nothing
 * outside its folder (no `..`, no encoded separators, no other host).
 */
export function rendererHandler(rendererDir: string, net: Pick<Net, 'fetch'>): (request: Request) => Promise<Response> {
  const root = normalize(rendererDir);
  return async (request) => {
    const url = new URL(request.url);
    if (url.protocol !== 'app:' || url.host !== 'casebook') return new Response('Not found', { status: 404 });
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    } catch {
      return new Response('Not found', { status: 404 });
    }
    const full = normalize(join(root, rel));
    if (!full.startsWith(root + sep)) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(full).toString()).catch(() => null);
    if (!res || !res.ok) return new Response('Not found', { status: 404 });
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', RENDERER_CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: 200, headers });
  };
}

export function serveRenderer(protocol: Pick<Protocol, 'handle'>, net: Pick<Net, 'fetch'>, rendererDir: string): void {
  protocol.handle('app', rendererHandler(rendererDir, net));
}
