import { app, session, type WebContents } from 'electron';
import { isAppUrl } from './origin.ts';

/**
 * The Electron security checklist, applied to every web contents the app ever creates:
 * no new windows, no navigation away from the app, no webviews, no permissions.
 */
export function applySecurityPolicy(): void {
  app.enableSandbox();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
