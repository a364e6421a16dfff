/**
 * Entry of the core's Electron utility process: the SQLite store and every bulk job run here,
 * so the main process never blocks on them. Talks to main only through the typed messages in
 * protocol.ts. Imports no `electron` module: `process.parentPort` is provided by the runtime,
 * and the OS keychain (safeStorage, main-only) is reached by asking main.
 */
import { join } from 'node:path';
import { Core } from '../core/core.ts';
import type { Keychain } from '../core/vault/protectors.ts';
import type { FromCore, ToCore } from './protocol.ts';

interface ParentPort {
  on(event: 'message', listener: (e: { data: ToCore }) => void): void;
  postMessage(message: FromCore): void;
}
const port = (process as unknown as { parentPort: ParentPort }).parentPort;

let core: Core | null = null;
let seq = 0;
const waiters = new Map<number, { resolve: (value: string) => void; reject: (e: Error) => void }>();

function ask(message: (id: number) => FromCore): Promise<string> {
  return new Promise((resolve, reject) => {
    const id = ++seq;
    waiters.set(id, { resolve, reject });
    port.postMessage(message(id));
  });
}

/** The vault's secrets are sealed by main with safeStorage; plaintext secrets never touch disk. */
function keychain(backend: string): Keychain {
  return {
    backend,
    encrypt: async (plain) => Buffer.from(await ask((id) => ({ type: 'keychain.encrypt', id, plain })), 'base64'),
    decrypt: (sealed) => ask((id) => ({ type: 'keychain.decrypt', id, sealed: sealed.toString('base64') })),
  };
}

port.on('message', ({ data }) => {
  switch (data.type) {
    case 'init':
      Core.open({
        dataDir: data.dataDir,
        host: 'electron',
        protection: { kind: 'os-keychain', keychain: keychain(data.keychainBackend) },
        ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}),
        ...(data.samplesDir ? { samples: { publicKeyFile: join(data.samplesDir, 'sample-key.public.jwk'), bundlesDir: join(data.samplesDir, 'dist') } } : {}),
      }).then(
        (c) => {
          core = c;
          c.subscribe((event) => port.postMessage({ type: 'event', event }));
          // Push the outbox whenever the enrolled server is reachable, as the browser host does.
          c.sync.startAuto();
          port.postMessage({ type: 'ready' });
        },
        (e: Error) => port.postMessage({ type: 'fatal', message: e.message }),
      );
      break;
    case 'call':
      if (!core) {
        port.postMessage({ type: 'result', id: data.id, envelope: { ok: false, error: { code: 'internal', message: 'The core is still starting' } } });
        break;
      }
      void core.call(data.method, data.request).then((envelope) => port.postMessage({ type: 'result', id: data.id, envelope }));
      break;
    case 'keychain.reply': {
      const w = waiters.get(data.id);
      waiters.delete(data.id);
      if (data.error !== null || data.value === null) w?.reject(new Error(data.error ?? 'no answer from the keychain'));
      else w?.resolve(data.value);
      break;
    }
  }
});
