import { ApiError, api, isMethod, requestProblemMessage, zodIssues, type Envelope, type Method } from '../../shared/contract/index.ts';
import type { HandlerMap } from './handlers/types.ts';
import { damagedMessage, isCorruption } from './store/errors.ts';

export interface DispatchOptions {
  /** Check responses against the contract too: on in tests, where a drift should fail loudly. */
  validateResponses?: boolean;
  /** Where unexpected errors are reported; never given request payloads. */
  onInternalError?: (method: string, error: unknown) => void;
  /** Runs after the request is parsed and before the handler; throws an ApiError to refuse the call. */
  authorize?: (method: Method) => void;
  /** The store file, named when SQLite reports damage mid-call. */
  storePath?: string;
}

/** The single entry point of every message into the core: name checked, request parsed, errors typed. */
export async function dispatch(handlers: HandlerMap<Method>, method: string, raw: unknown, opts: DispatchOptions = {}): Promise<Envelope> {
  if (!isMethod(method)) return { ok: false, error: { code: 'invalid_request', message: `Unknown method "${method}"` } };
  const spec = api[method];
  const parsed = spec.request.safeParse(raw ?? {});
  if (!parsed.success) {
    // The message is read by people (forms show it as is): no method name, no field ids.
    const issues = zodIssues(parsed.error);
    return { ok: false, error: { code: 'invalid_request', message: requestProblemMessage(issues), issues } };
  }
  try {
    opts.authorize?.(method);
    const handler = handlers[method] as (req: unknown) => unknown;
    const result = await handler(parsed.data);
    if (opts.validateResponses) {
      const check = spec.response.safeParse(result);
      if (!check.success) throw new Error(`response of ${method} breaks the contract: ${JSON.stringify(zodIssues(check.error).slice(0, 5))}`);
    }
    return { ok: true, result };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: e.toBody() };
    if (isCorruption(e)) return { ok: false, error: { code: 'damaged', message: damagedMessage(opts.storePath ?? 'the store', (e as Error).message) } };
    opts.onInternalError?.(method, e);
    return { ok: false, error: { code: 'internal', message: `Something went wrong in ${method}: ${(e as Error).message ?? String(e)}` } };
  }
}
