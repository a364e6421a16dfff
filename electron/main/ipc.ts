import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { METHODS, channelOf } from '../../shared/contract/api.ts';
import type { Envelope } from '../../shared/contract/client.ts';
import { isAppUrl } from './origin.ts';
import type { CoreClient } from './core-client.ts';

/**
 * One handler per contract method, each on its own channel. Every call must come from our
 * own top-level page; the core validates the request against the contract.
 */
export function registerIpc(core: CoreClient): void {
  for (const method of METHODS) {
    ipcMain.handle(channelOf(method), async (event: IpcMainInvokeEvent, request: unknown): Promise<Envelope> => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isAppUrl(frame.url)) {
        return { ok: false, error: { code: 'invalid_request', message: 'Calls are accepted only from the Casebook window' } };
      }
      return core.call(method, request);
    });
  }
}
