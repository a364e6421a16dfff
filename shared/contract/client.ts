import { ApiError, ApiErrorBody } from './errors.ts';
import type { Method, Request, Response } from './api.ts';
import type { CoreEvent } from './events.ts';

/** How a client reaches the core: Electron IPC via the preload bridge, or HTTP to the browser host. */
export interface Transport {
  call(method: Method, request: unknown): Promise<unknown>;
  subscribe(listener: (event: CoreEvent) => void): () => void;
}

/** What the transport returns for every call: a result or an error body, never a thrown foreign error. */
export type Envelope = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

export function unwrap(envelope: Envelope): unknown {
  if (envelope.ok) return envelope.result;
  throw ApiError.fromBody(envelope.error);
}

export interface Client {
  call<M extends Method>(method: M, request: Request<M>): Promise<Response<M>>;
  subscribe(listener: (event: CoreEvent) => void): () => void;
}

export function createClient(transport: Transport): Client {
  return {
    call: async <M extends Method>(method: M, request: Request<M>) => (await transport.call(method, request)) as Response<M>,
    subscribe: (listener) => transport.subscribe(listener),
  };
}
