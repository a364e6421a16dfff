import type { CoreEvent, Envelope } from '../../shared/contract/index.ts';

/** Messages between the Electron main process and the core's utility process. */
export type ToCore =
  | { type: 'init'; dataDir: string; samplesDir: string | null; nativeBinding: string | null; keychainBackend: string }
  | { type: 'call'; id: number; method: string; request: unknown }
  /** For keychain.encrypt, `value` is the sealed bytes in base64; for keychain.decrypt, the text. */
  | { type: 'keychain.reply'; id: number; value: string | null; error: string | null };

export type FromCore =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; envelope: Envelope }
  | { type: 'event'; event: CoreEvent }
  | { type: 'keychain.encrypt'; id: number; plain: string }
  | { type: 'keychain.decrypt'; id: number; sealed: string };
