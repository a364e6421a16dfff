import { z } from 'zod';
// Installs the validation messages that list allowed values; every schema module imports this one.
import './issue-messages.ts';

/** Identifiers that appear in file names, URLs and keyboard hints: keep them boring. */
export const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must start with a letter or digit and use only letters, digits, . _ : -');

export const IsoTime = z.iso.datetime({ offset: true });

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');

/** Arbitrary JSON, used for tool-call arguments and free metadata. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export const JsonValue: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValue), z.record(z.string(), JsonValue)]),
);

export const Severity = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;

export const TaskKind = z.enum(['compare', 'exemplar', 'trajectory']);
export type TaskKind = z.infer<typeof TaskKind>;

export const Role = z.enum(['annotator', 'reviewer', 'admin']);
export type Role = z.infer<typeof Role>;
/** Who may adjudicate and read other annotators' work: on the server, in batches, on workstations. */
export const REVIEWER_ROLES: readonly Role[] = ['reviewer', 'admin'];
