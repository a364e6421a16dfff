/** What the sync client needs from fetch: injectable so tests can route through a faulty proxy. */
export type FetchFn = (url: string, init: { method: string; headers: Record<string, string>; body?: Buffer | string; signal?: AbortSignal }) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

export const defaultFetch: FetchFn = (url, init) => fetch(url, init);

/** Plain words for a failure to reach the server: the user needs to know their work is safe. */
export function networkMessage(serverUrl: string, e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code;
  const why =
    err.name === 'TimeoutError' || err.name === 'AbortError'
      ? 'it did not answer in time'
      : code === 'ECONNREFUSED'
        ? 'nothing is listening there'
        : code === 'ENOTFOUND'
          ? 'the address could not be found'
          : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
            ? 'the connection was cut'
            : (err.cause?.message ?? err.message ?? String(e));
  return `Cannot reach the sync server at ${serverUrl} (${why}). Your work is safe on this computer and will be sent when the server is reachable.`;
}
