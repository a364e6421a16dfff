import { app, BrowserWindow, dialog } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_CHANNEL } from '../../shared/contract/api.ts';
import { CoreClient, defaultDataDir } from './core-client.ts';
import { registerIpc } from './ipc.ts';
import { registerAppScheme, serveRenderer } from './protocol.ts';
import { APP_ORIGIN } from './origin.ts';
import { applySecurityPolicy } from './security.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(here, '..');
const resourcesDir = app.isPackaged ? process.resourcesPath : join(outDir, '..', 'resources');

registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

let mainWindow: BrowserWindow | null = null;

async function start(): Promise<void> {
  applySecurityPolicy();
  serveRenderer(join(outDir, 'renderer'));
  const core = new CoreClient(
    join(outDir, 'main', 'core.js'),
    {
      type: 'init',
      dataDir: defaultDataDir(),
      samplesDir: join(resourcesDir, 'samples'),
      nativeBinding: process.env.CASEBOOK_NATIVE_BINDING ?? null,
    },
    (event) => mainWindow?.webContents.send(EVENT_CHANNEL, event),
  );
  registerIpc(core);
  app.on('will-quit', () => core.kill());
  try {
    await core.ready;
  } catch (e) {
    dialog.showErrorBox('Casebook could not open its data', (e as Error).message);
    app.exit(1);
    return;
  }
  mainWindow = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Casebook',
    show: false,
    webPreferences: {
      preload: join(outDir, 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: true,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  await mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}

app.on('second-instance', () => mainWindow?.focus());
app.on('window-all-closed', () => app.quit());
void app.whenReady().then(start);
