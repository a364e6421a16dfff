import { z } from 'zod';

/**
 * Validation messages that tell a person what would have been accepted. Zod's own English says
 * "Invalid input" for a discriminated union whose tag matches no option (a task `kind: "rank"`), and
 * "Invalid option: expected one of "a"|"b"" for an enum: neither reads well beside a file and a
 * field, and the first names no allowed value at all. Installed once, globally (see the bottom),
 * because schemas are parsed in many modules and every one of them should speak the same way.
 */

const MAX_SHOWN = 40;

function show(value: unknown): string {
  if (typeof value === 'string') {
    const s = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return JSON.stringify(s);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === null) return String(value);
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** "must be one of "a", "b" or "c" (got "x")": the allowed values, then what was there. */
export function allowedMessage(allowed: readonly unknown[], received: unknown, hasInput: boolean): string {
  const values = allowed.map(show);
  const list = values.length === 1 ? values[0] : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
  const lead = values.length === 1 ? `must be ${list}` : `must be one of ${list}`;
  return hasInput ? `${lead} (got ${show(received)})` : lead;
}

type RawIssue = z.core.$ZodRawIssue;

interface PropValuesHolder {
  _zod?: { propValues?: Record<string, Set<unknown>> };
}

/** The allowed tags of a discriminated union, read from the schema that raised the issue. */
function discriminatorValues(issue: RawIssue): unknown[] | null {
  const disc = (issue as { discriminator?: unknown }).discriminator;
  if (typeof disc !== 'string') return null;
  const values = (issue.inst as PropValuesHolder | undefined)?._zod?.propValues?.[disc];
  return values && values.size > 0 ? [...values] : null;
}

/** A plain union of literals (`z.union([z.literal(1), z.literal(2)])`): every branch refused the value itself. */
function literalUnionValues(issue: RawIssue): unknown[] | null {
  const branches = (issue as { errors?: unknown }).errors;
  if (!Array.isArray(branches) || branches.length === 0) return null;
  const out: unknown[] = [];
  for (const branch of branches as unknown[]) {
    if (!Array.isArray(branch) || branch.length !== 1) return null;
    const only = branch[0] as { code?: unknown; path?: unknown; values?: unknown };
    if (only.code !== 'invalid_value' || !Array.isArray(only.path) || only.path.length !== 0 || !Array.isArray(only.values)) return null;
    out.push(...(only.values as unknown[]));
  }
  return out;
}

/** Zod's `customError` hook: a message for the issues that should list allowed values, else undefined (Zod's default). */
export function allowedValuesError(issue: RawIssue): string | undefined {
  const hasInput = 'input' in issue;
  if (issue.code === 'invalid_value') return allowedMessage(issue.values, issue.input, hasInput);
  if (issue.code === 'invalid_union') {
    const values = discriminatorValues(issue);
    if (values) {
      const input = issue.input as Record<string, unknown> | undefined;
      const disc = (issue as { discriminator?: string }).discriminator ?? '';
      const received = input && typeof input === 'object' ? input[disc] : undefined;
      return allowedMessage(values, received, true);
    }
    const literals = literalUnionValues(issue);
    if (literals) return allowedMessage(literals, issue.input, hasInput);
  }
  return undefined;
}

z.config({ customError: allowedValuesError });
