import { z } from 'zod';
// The contract's schemas speak as the domain's do: enum and tag messages list what is allowed.
import '../domain/issue-messages.ts';

export const ErrorCode = z.enum([
  'invalid_request', // the message did not match the contract
  'not_found',
  'validation_failed', // the request was well-formed but the content breaks a rule (e.g. missing required score)
  'conflict', // the state changed under the caller (e.g. submitting an already-submitted annotation)
  'refused', // a policy refusal: untrusted key, expired bundle, rollback...
  'not_set_up', // the workstation has no identity yet
  'forbidden', // the workstation user's role does not permit the method (see roles.ts)
  'damaged', // stored data failed its integrity check; the message says what to do (restore, re-import)
  'locked', // the workstation is locked: app.unlock first
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const Issue = z.object({ path: z.string(), message: z.string() });
export type Issue = z.infer<typeof Issue>;

export const ApiErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  issues: z.array(Issue).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** The one error type that crosses the API boundary. Anything else is reported as `internal`. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues: Issue[] | undefined;
  constructor(code: ErrorCode, message: string, issues?: Issue[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.issues = issues;
  }
  toBody(): ApiErrorBody {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.issues);
  }
}

/** Zod issues as `path: message` pairs a person can act on. */
export function zodIssues(error: z.ZodError, prefix = ''): Issue[] {
  return error.issues.map((i) => ({ path: formatPath(prefix, i.path), message: i.message }));
}

/**
 * The message of a refused request, for people: what to fix, in the schema's own words. It names
 * no method or field id (those are the caller's business, and stay in `issues[].path` so a form
 * can put each message beside its field).
 */
export function requestProblemMessage(issues: readonly Issue[]): string {
  const said = [...new Set(issues.map((i) => i.message.trim()).filter(Boolean))].map(sentence);
  if (said.length === 0) return 'Some of what was entered is not valid.';
  if (said.length === 1) return said[0]!;
  const shown = said.slice(0, 3);
  const more = said.length - shown.length;
  return `${said.length} things to fix: ${shown.join(' ')}${more > 0 ? ` (and ${more} more)` : ''}`;
}

function sentence(text: string): string {
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(s) ? s : `${s}.`;
}

export function formatPath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}
