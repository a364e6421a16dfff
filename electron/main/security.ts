import type { App, Event, Session, WebContents } from 'electron';
import { isAppUrl } from './origin.ts';

/** The parts of Electron the policy touches, passed in so a test can drive them with fakes. */
export interface PolicyTargets {
  app: Pick<App, 'enableSandbox'> & { on(event: 'web-contents-created', listener: (event: Event, contents: WebContents) => void): unknown };
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;
}

/**
 * The Electron security checklist, applied to every web contents the app ever creates:
 * no new windows, no navigation away from the app, no webviews, no permissions.
 */
export function applySecurityPolicy({ app, session }: PolicyTargets): void {
  app.enableSandbox();
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
}

/** What every web contents gets: in-app navigation only, no windows, no webviews. */
export function guardContents(contents: Pick<WebContents, 'setWindowOpenHandler' | 'on'>): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
