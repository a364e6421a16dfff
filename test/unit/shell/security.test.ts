import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Event, WebContents } from 'electron';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { METHODS, channelOf } from '../../../shared/contract/api.ts';
import { RENDERER_CSP } from '../../../shared/security/csp.ts';
import { fromAppWindow, registerIpc } from '../../../electron/main/ipc.ts';
import { registerAppScheme, rendererHandler } from '../../../electron/main/protocol.ts';
import { applySecurityPolicy, guardContents, type PolicyTargets } from '../../../electron/main/security.ts';
import { windowOptions } from '../../../electron/main/window.ts';
import { tempDir } from '../../helpers/workspace.ts';

/** A web contents stand-in that records the handlers the policy installs. */
function fakeContents() {
  const handlers = new Map<string, (...args: unknown[]) => void>();
  let windowOpen: ((d: { url: string }) => { action: string }) | null = null;
  const contents = {
    setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => void (windowOpen = h),
    on: (event: string, h: (...args: unknown[]) => void) => {
      handlers.set(event, h);
      return contents;
    },
  };
  const fire = (event: string, ...args: unknown[]) => {
    let prevented = false;
    handlers.get(event)!({ preventDefault: () => (prevented = true), url: args[0] }, ...args);
    return prevented;
  };
  return { contents: contents as unknown as Pick<WebContents, 'setWindowOpenHandler' | 'on'>, fire, windowOpen: () => windowOpen, handlers };
}

describe('the window (Electron security checklist: renderer settings)', () => {
  it('is context-isolated, sandboxed, without Node anywhere, with web security on and no webviews', () => {
    const o = windowOptions('/app/out/preload/index.cjs');
    expect(o.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
    });
  });

  it('is the only window the shell makes, built by windowOptions (so the test above is about the real one)', () => {
    const main = readFileSync(new URL('../../../electron/main/index.ts', import.meta.url), 'utf8');
    expect(main.match(/new BrowserWindow\(/g)).toHaveLength(1);
    expect(main).toContain('new BrowserWindow(windowOptions(');
    expect(main).not.toMatch(/webPreferences/);
    expect(main).toContain('applySecurityPolicy({ app, session: session.defaultSession })');
    expect(main).toContain('serveRenderer(protocol, net,');
  });
});

describe('the session policy (permissions, navigation, new windows, webviews)', () => {
  const app = { enableSandbox: vi.fn(), on: vi.fn() };
  const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn() };
  applySecurityPolicy({ app, session } as unknown as PolicyTargets);

  it('sandboxes every renderer and denies every permission request, check and device', () => {
    expect(app.enableSandbox).toHaveBeenCalledOnce();
    const request = session.setPermissionRequestHandler.mock.calls[0]![0] as (wc: unknown, p: string, cb: (ok: boolean) => void) => void;
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const cb = vi.fn();
      request({}, p, cb);
      expect(cb, p).toHaveBeenCalledWith(false);
    }
    expect((session.setPermissionCheckHandler.mock.calls[0]![0] as () => boolean)()).toBe(false);
    expect((session.setDevicePermissionHandler.mock.calls[0]![0] as () => boolean)()).toBe(false);
  });

  it('guards every web contents the app ever creates', () => {
    expect(app.on).toHaveBeenCalledWith('web-contents-created', expect.any(Function));
    const f = fakeContents();
    (app.on.mock.calls[0]![1] as (e: Event, c: unknown) => void)({} as Event, f.contents);
    expect(f.windowOpen()).not.toBeNull();
  });

  it('denies new windows, navigation and redirects away from app://casebook, frame navigation, and webviews', () => {
    const f = fakeContents();
    guardContents(f.contents);
    expect(f.windowOpen()!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(f.windowOpen()!({ url: 'app://casebook/index.html' })).toEqual({ action: 'deny' });
    for (const e of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://casebook.evil/', 'app://user:pw@casebook/', 'javascript:alert(1)']) expect(f.fire(e, url), `${e} ${url}`).toBe(true);
      expect(f.fire(e, 'app://casebook/index.html#/bundles'), e).toBe(false);
    }
    expect(f.fire('will-attach-webview')).toBe(true);
  });
});

describe('the app:// protocol handler', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());
  const root = join(t.dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Casebook</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(t.dir, 'secret.txt'), 'outside the renderer folder');
  // net.fetch of a file: URL, as Electron does it, from the real disk.
  const net = { fetch: async (url: string) => new Response(readFileSync(new URL(url))) };
  const handle = rendererHandler(root, net as never);
  const get = (url: string) => handle(new Request(url));

  it('is registered as a standard, secure scheme, and nothing more privileged', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn() };
    registerAppScheme(protocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('serves the renderer with the strict CSP and nosniff', async () => {
    for (const url of ['app://casebook/', 'app://casebook/index.html', 'app://casebook/assets/app.js']) {
      const r = await get(url);
      expect(r.status, url).toBe(200);
      expect(r.headers.get('Content-Security-Policy')).toBe(RENDERER_CSP);
      expect(r.headers.get('X-Content-Type-Options')).toBe('nosniff');
    }
    expect(RENDERER_CSP).toMatch(/default-src 'none'/);
    expect(RENDERER_CSP).toMatch(/script-src 'self'(;|$)/);
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|https?:/);
  });

  it('serves nothing outside its folder, nor for another host', async () => {
    for (const url of ['app://casebook/../secret.txt', 'app://casebook/%2e%2e/secret.txt', 'app://casebook/assets/%2e%2e%2f%2e%2e%2fsecret.txt', 'app://casebook/%E0%A4%A', 'app://other/index.html', 'app://casebook/missing.js']) {
      const r = await get(url);
      expect(r.status, url).toBe(404);
      expect(await r.text()).not.toContain('outside the renderer folder');
    }
    expect(pathToFileURL(join(t.dir, 'secret.txt')).href).toContain('secret.txt');
  });
});

describe('IPC (one channel per contract method, sender checked)', () => {
  const handlers = new Map<string, (event: unknown, request: unknown) => Promise<unknown>>();
  const call = vi.fn(async () => ({ ok: true as const, result: 'from the core' }));
  registerIpc({ handle: (channel: string, h: (event: unknown, request: unknown) => Promise<unknown>) => void handlers.set(channel, h) } as never, call);
  const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

  it('registers exactly the contract methods, each on its own channel: no generic send', () => {
    expect([...handlers.keys()].sort()).toEqual(METHODS.map(channelOf).sort());
  });

  it('answers only our own top-level page', async () => {
    const h = handlers.get(channelOf('bundles.list'))!;
    expect(await h(frame('app://casebook/index.html'), {})).toEqual({ ok: true, result: 'from the core' });
    for (const ev of [frame('https://evil.example/'), frame('app://casebook/index.html', { url: 'app://casebook/' }), frame('app://casebook.evil/'), { senderFrame: null }]) {
      expect(await h(ev, {})).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
    expect(call).toHaveBeenCalledTimes(1);
    expect(fromAppWindow(frame('file:///app/index.html') as never)).toBe(false);
  });
});

describe('the preload bridge', () => {
  it('exposes one frozen function per contract method and onEvent: no ipcRenderer, no generic invoke', async () => {
    const exposed: Record<string, unknown> = {};
    const invoke = vi.fn(async () => ({ ok: true, result: null }));
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (name: string, api: unknown) => void (exposed[name] = api) },
      ipcRenderer: { invoke, on: vi.fn(), removeListener: vi.fn() },
    }));
    await import('../../../electron/preload/index.ts');
    const api = exposed.casebook as Record<string, (req: unknown) => Promise<unknown>>;
    expect(Object.keys(exposed)).toEqual(['casebook']);
    expect(Object.keys(api).sort()).toEqual([...METHODS, 'onEvent'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    await api['tasks.open']!({ bundleId: 'b', taskId: 't' });
    expect(invoke).toHaveBeenCalledWith(channelOf('tasks.open'), { bundleId: 'b', taskId: 't' });
    vi.doUnmock('electron');
  });
});
