import { ApiErrorBody, type CasebookBridge, type Envelope, type Method, type Transport, type CoreEvent, unwrap } from '../../../shared/contract/index.ts';
import { CoreEvent as CoreEventSchema } from '../../../shared/contract/events.ts';
import { getToken } from './token.ts';

declare global {
  interface Window {
    /** Present only under Electron: the preload's narrow typed bridge. */
    casebook?: CasebookBridge;
  }
}

/** The core could not be reached at all (network down, host stopped, garbage reply). */
export class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

type FailureListener = (error: TransportError | null) => void;
const failureListeners = new Set<FailureListener>();

/** Lets the connection banner know when the transport fails and when it works again. */
export function onTransportHealth(listener: FailureListener): () => void {
  failureListeners.add(listener);
  return () => failureListeners.delete(listener);
}

function report(error: TransportError | null): void {
  for (const l of failureListeners) l(error);
}

function asEnvelope(value: unknown): Envelope | null {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return null;
  const v = value as { ok: unknown; result?: unknown; error?: unknown };
  if (v.ok === true) return { ok: true, result: v.result };
  if (v.ok === false) {
    const body = ApiErrorBody.safeParse(v.error);
    if (body.success) return { ok: false, error: body.data };
    return { ok: false, error: { code: 'internal', message: 'The core sent an error the app could not read.' } };
  }
  return null;
}

/** Electron: one bridge function per contract method, each resolving to an Envelope. */
export function bridgeTransport(bridge: CasebookBridge): Transport {
  return {
    async call(method: Method, request: unknown) {
      let envelope: Envelope;
      try {
        envelope = await bridge[method](request);
      } catch (e) {
        const err = new TransportError(`The app core did not answer (${e instanceof Error ? e.message : String(e)}).`);
        report(err);
        throw err;
      }
      report(null);
      return unwrap(envelope);
    },
    subscribe(listener) {
      return bridge.onEvent(listener);
    },
  };
}

/** Browser host: POST /api/<method> with the bearer token; events over SSE. */
export function httpTransport(): Transport {
  let source: EventSource | null = null;
  const listeners = new Set<(event: CoreEvent) => void>();

  function openEvents(): void {
    if (source || typeof EventSource === 'undefined') return;
    const token = getToken() ?? '';
    source = new EventSource(`api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (message: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      const parsed = CoreEventSchema.safeParse(data);
      if (!parsed.success) return;
      for (const l of listeners) l(parsed.data);
    };
  }

  return {
    async call(method: Method, request: unknown) {
      const body = JSON.stringify(request ?? {});
      let response: globalThis.Response;
      try {
        response = await fetch(`api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${getToken() ?? ''}` },
          body,
          // Lets a final autosave on page hide complete; browsers cap keepalive bodies at 64 KiB.
          keepalive: body.length < 60_000,
        });
      } catch (e) {
        const err = new TransportError(`Cannot reach the Casebook host (${e instanceof Error ? e.message : String(e)}).`);
        report(err);
        throw err;
      }
      let json: unknown;
      try {
        json = await response.json();
      } catch {
        const err = new TransportError(`The Casebook host replied with HTTP ${response.status} and no readable answer.`);
        report(err);
        throw err;
      }
      const envelope = asEnvelope(json);
      if (!envelope) {
        const err = new TransportError(`The Casebook host replied with HTTP ${response.status} in an unexpected shape.`);
        report(err);
        throw err;
      }
      report(null);
      return unwrap(envelope);
    },
    subscribe(listener) {
      listeners.add(listener);
      openEvents();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
}
