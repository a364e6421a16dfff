import { app, BrowserWindow, dialog, ipcMain, net, powerMonitor, protocol, safeStorage, session, utilityProcess } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_CHANNEL } from '../../shared/contract/api.ts';
import { CoreClient, type CoreProcess } from './core-client.ts';
import { hostConfig } from './host-config.ts';
import { registerIpc } from './ipc.ts';
import { keychainBackend, keychainProblem, safeStorageAnswers } from './keychain.ts';
import { registerAppScheme, serveRenderer } from './protocol.ts';
import { APP_ORIGIN } from './origin.ts';
import { applySecurityPolicy } from './security.ts';
import { windowOptions } from './window.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(here, '..');
const resourcesDir = app.isPackaged ? process.resourcesPath : join(outDir, '..', 'resources');

registerAppScheme(protocol);
if (!app.requestSingleInstanceLock()) app.quit();

let mainWindow: BrowserWindow | null = null;

function fail(title: string, message: string): void {
  dialog.showErrorBox(title, message);
  app.exit(1);
}

async function start(): Promise<void> {
  applySecurityPolicy({ app, session: session.defaultSession });
  serveRenderer(protocol, net, join(outDir, 'renderer'));
  // The store key lives in the OS keychain; a keychain that protects nothing is refused outright.
  const problem = keychainProblem(safeStorage, process.platform);
  if (problem) return fail('Casebook cannot protect its data here', problem);
  const config = hostConfig({ env: process.env, isPackaged: app.isPackaged, userData: app.getPath('userData'), resourcesDir });
  const core = new CoreClient({
    fork: () => utilityProcess.fork(join(outDir, 'main', 'core.js'), [], { serviceName: 'Casebook core', stdio: 'inherit' }) as unknown as CoreProcess,
    init: { type: 'init', dataDir: config.dataDir, samplesDir: config.samplesDir, nativeBinding: config.nativeBinding, keychainBackend: keychainBackend(safeStorage, process.platform) },
    keychain: safeStorageAnswers(safeStorage, process.platform),
    onEvent: (event) => mainWindow?.webContents.send(EVENT_CHANNEL, event),
    onRestart: (message) => void dialog.showMessageBox({ type: 'warning', title: 'Casebook restarted its data process', message }),
    onFatal: (message) => fail('Casebook stopped', message),
  });
  registerIpc(ipcMain, (method, request) => core.call(method, request));
  app.on('will-quit', () => core.kill());
  // Lock with the computer: the OS screen lock is what guards an OS-keychain unlock.
  const lock = () => void core.call('app.lock', {});
  powerMonitor.on('lock-screen', lock);
  powerMonitor.on('suspend', lock);
  try {
    await core.ready;
  } catch (e) {
    return fail('Casebook could not open its data', (e as Error).message);
  }
  mainWindow = new BrowserWindow(windowOptions(join(outDir, 'preload', 'index.cjs')));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  await mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}

app.on('second-instance', () => mainWindow?.focus());
app.on('window-all-closed', () => app.quit());
void app.whenReady().then(start);
