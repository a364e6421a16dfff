import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { METHODS, channelOf } from '../../shared/contract/api.ts';
import type { Envelope } from '../../shared/contract/client.ts';
import { isAppUrl } from './origin.ts';

export type CoreCall = (method: string, request: unknown) => Promise<Envelope>;

/** True only for our own top-level page: a subframe or any other origin is refused. */
export function fromAppWindow(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

/**
 * One handler per contract method, each on its own channel. Every call must come from our
 * own top-level page; the core validates the request against the contract.
 */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, call: CoreCall): void {
  for (const method of METHODS) {
    ipcMain.handle(channelOf(method), async (event: IpcMainInvokeEvent, request: unknown): Promise<Envelope> => {
      if (!fromAppWindow(event)) return { ok: false, error: { code: 'invalid_request', message: 'Calls are accepted only from the Casebook window' } };
      return call(method, request);
    });
  }
}
