/**
 * The whole of what the renderer can reach: one function per contract method, each bound to
 * its own IPC channel, plus core events. No generic send/invoke, no Node, no Electron objects.
 * Emitted as CommonJS because the renderer is sandboxed.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, METHODS, channelOf } from '../../shared/contract/api.ts';
import type { CasebookBridge } from '../../shared/contract/bridge.ts';
import type { CoreEvent } from '../../shared/contract/events.ts';
import type { Envelope } from '../../shared/contract/client.ts';

const bridge = Object.fromEntries(
  METHODS.map((m) => [m, (request: unknown): Promise<Envelope> => ipcRenderer.invoke(channelOf(m), request) as Promise<Envelope>]),
) as Record<string, (request: unknown) => Promise<Envelope>>;

const api: CasebookBridge = Object.freeze({
  ...bridge,
  onEvent: (listener: (e: CoreEvent) => void) => {
    const wrapped = (_e: IpcRendererEvent, event: CoreEvent) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
}) as CasebookBridge;

contextBridge.exposeInMainWorld('casebook', api);
