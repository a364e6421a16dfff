import type { z } from 'zod';
import { formatPath } from '../../contract/errors.ts';

/** One thing wrong with an input, located precisely enough for a person to fix it. */
export interface Problem {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line !== undefined ? `line ${p.line}` : null, p.field ?? null].filter(Boolean).join(': ');
  return `${where}: ${p.message}`;
}

export function problemsFromZod(file: string, error: z.ZodError, line?: number, prefix = ''): Problem[] {
  return error.issues.map((i) => ({
    file,
    ...(line !== undefined ? { line } : {}),
    field: formatPath(prefix, i.path),
    message: i.message,
  }));
}

/** Thrown when an input has problems; carries all of them, not only the first. */
export class ProblemsError extends Error {
  override name = 'ProblemsError';
  /** The refusal code of every content problem (docs/bundles.md). */
  readonly code = 'invalid_content' as const;
  constructor(
    readonly problems: Problem[],
    summary?: string,
  ) {
    super(summary ?? `${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map(formatProblem).join('\n')}`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes strictly: invalid UTF-8 is a problem, not a replacement character. */
export function decodeUtf8(file: string, bytes: Uint8Array): string {
  try {
    const text = utf8.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw new ProblemsError([{ file, message: 'is not valid UTF-8 text' }]);
  }
}

export function parseJson(file: string, text: string, line?: number): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ProblemsError([{ file, ...(line !== undefined ? { line } : {}), message: `invalid JSON (${(e as Error).message})` }]);
  }
}
