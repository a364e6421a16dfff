import type { Method } from './api.ts';
import type { Envelope } from './client.ts';
import type { CoreEvent } from './events.ts';

/**
 * What Electron's preload exposes on `window.casebook`: one function per contract method
 * (no generic send/invoke), each resolving to an Envelope, plus an event subscription.
 */
export type CasebookBridge = { readonly [M in Method]: (request: unknown) => Promise<Envelope> } & {
  readonly onEvent: (listener: (event: CoreEvent) => void) => () => void;
};
