/**
 * Entry of the core's Electron utility process: the SQLite store and every bulk job run here,
 * so the main process never blocks on them. Talks to main only through the typed messages in
 * protocol.ts. Imports no `electron` module: `process.parentPort` is provided by the runtime.
 */
import { join } from 'node:path';
import { Core } from '../core/core.ts';
import type { KeyVault } from '../core/identity/key-vault.ts';
import { PrivateJwk } from '../../shared/node/keys.ts';
import type { FromCore, ToCore } from './protocol.ts';

interface ParentPort {
  on(event: 'message', listener: (e: { data: ToCore }) => void): void;
  postMessage(message: FromCore): void;
}
const port = (process as unknown as { parentPort: ParentPort }).parentPort;

let core: Core | null = null;
let vaultSeq = 0;
const vaultWaiters = new Map<number, { resolve: (key: string | null) => void; reject: (e: Error) => void }>();

/** The device key is encrypted by main with safeStorage; the plaintext never touches disk. */
const vault: KeyVault = {
  load: () =>
    new Promise((resolve, reject) => {
      const id = ++vaultSeq;
      vaultWaiters.set(id, { resolve: (k) => resolve(k === null ? null : PrivateJwk.parse(JSON.parse(k))), reject });
      port.postMessage({ type: 'vault.load', id });
    }),
  store: (key) =>
    new Promise((resolve, reject) => {
      const id = ++vaultSeq;
      vaultWaiters.set(id, { resolve: () => resolve(), reject });
      port.postMessage({ type: 'vault.store', id, key: JSON.stringify(key) });
    }),
};

port.on('message', ({ data }) => {
  switch (data.type) {
    case 'init':
      Core.open({
        dataDir: data.dataDir,
        host: 'electron',
        keyVault: vault,
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
    case 'vault.reply': {
      const w = vaultWaiters.get(data.id);
      vaultWaiters.delete(data.id);
      if (data.error) w?.reject(new Error(data.error));
      else w?.resolve(data.key);
      break;
    }
  }
});
