import { app, safeStorage, utilityProcess, type UtilityProcess } from 'electron';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CoreEvent, Envelope } from '../../shared/contract/index.ts';
import type { FromCore, ToCore } from '../core-host/protocol.ts';

/**
 * Runs the core in a utility process and relays calls to it. Also answers the core's key
 * vault requests with safeStorage, so the device key is encrypted at rest by the OS keychain.
 */
export class CoreClient {
  private seq = 0;
  private readonly pending = new Map<number, (e: Envelope) => void>();
  private readonly child: UtilityProcess;
  readonly ready: Promise<void>;

  constructor(entry: string, init: Extract<ToCore, { type: 'init' }>, onEvent: (e: CoreEvent) => void) {
    this.child = utilityProcess.fork(entry, [], { serviceName: 'Casebook core', stdio: 'inherit' });
    const keyFile = join(init.dataDir, 'device-key.enc');
    this.ready = new Promise((resolve, reject) => {
      this.child.on('message', (msg: FromCore) => {
        switch (msg.type) {
          case 'ready':
            return resolve();
          case 'fatal':
            return reject(new Error(msg.message));
          case 'result':
            this.pending.get(msg.id)?.(msg.envelope);
            this.pending.delete(msg.id);
            return;
          case 'event':
            return onEvent(msg.event);
          case 'vault.load':
            return void this.vaultLoad(keyFile).then(
              (key) => this.post({ type: 'vault.reply', id: msg.id, key, error: null }),
              (e: Error) => this.post({ type: 'vault.reply', id: msg.id, key: null, error: e.message }),
            );
          case 'vault.store':
            return void this.vaultStore(keyFile, msg.key).then(
              () => this.post({ type: 'vault.reply', id: msg.id, key: null, error: null }),
              (e: Error) => this.post({ type: 'vault.reply', id: msg.id, key: null, error: e.message }),
            );
        }
      });
      this.child.once('exit', (code) => reject(new Error(`the core process exited (${code})`)));
    });
    this.post(init);
  }

  call(method: string, request: unknown): Promise<Envelope> {
    const id = ++this.seq;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.post({ type: 'call', id, method, request });
    });
  }

  kill(): void {
    this.child.kill();
  }

  private post(msg: ToCore): void {
    this.child.postMessage(msg);
  }

  private async vaultLoad(file: string): Promise<string | null> {
    if (!existsSync(file)) return null;
    return safeStorage.decryptString(await readFile(file));
  }

  private async vaultStore(file: string, key: string): Promise<void> {
    if (!safeStorage.isEncryptionAvailable()) throw new Error('the OS keychain is not available to protect the device key');
    await writeFile(`${file}.tmp`, safeStorage.encryptString(key), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }
}

export function defaultDataDir(): string {
  return process.env.CASEBOOK_DATA_DIR ?? join(app.getPath('userData'), 'data');
}
