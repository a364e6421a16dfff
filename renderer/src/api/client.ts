import { ApiError, createClient, type Client } from '../../../shared/contract/index.ts';
import { bridgeTransport, httpTransport, TransportError } from './transport.ts';

/** The one client the UI uses: Electron's bridge when present, else the browser host over HTTP. */
export const client: Client = createClient(window.casebook ? bridgeTransport(window.casebook) : httpTransport());

export const call = client.call;

/** A message a person can read, from whatever a call threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError || error instanceof TransportError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export { ApiError, TransportError };
