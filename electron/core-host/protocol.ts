import type { CoreEvent, Envelope } from '../../shared/contract/index.ts';

/** Messages between the Electron main process and the core's utility process. */
export type ToCore =
  | { type: 'init'; dataDir: string; samplesDir: string | null; nativeBinding: string | null }
  | { type: 'call'; id: number; method: string; request: unknown }
  | { type: 'vault.reply'; id: number; key: string | null; error: string | null };

export type FromCore =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; envelope: Envelope }
  | { type: 'event'; event: CoreEvent }
  | { type: 'vault.load'; id: number }
  | { type: 'vault.store'; id: number; key: string };
