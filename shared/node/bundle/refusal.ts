import { SIGNATURE_REFUSALS } from '../dsse.ts';
import { ZIP_REFUSALS } from '../zip.ts';

/**
 * Every reason a bundle can be refused on verify, inspect or import, as a stable code an
 * outside tool can match on (the message says the same in words and may change). One list:
 * docs/bundles.md documents each code, and test/unit/refusal-codes.test.ts fails when a code is
 * produced but not documented or documented but never produced.
 */
export const BUNDLE_REFUSALS = [
  ...ZIP_REFUSALS,
  ...SIGNATURE_REFUSALS,
  'unsigned',
  'no_trusted_keys',
  'rotation_refused',
  'key_out_of_scope',
  'expired',
  'manifest_unknown_file',
  'manifest_duplicate_file',
  'manifest_missing_file',
  'entry_not_in_manifest',
  'entry_missing',
  'size_mismatch',
  'hash_mismatch',
  'release_mismatch',
  'task_count_mismatch',
  /** A file's bytes are signed and hash-correct but not valid UTF-8, JSON or schema (ProblemsError). */
  'invalid_content',
  /** Found by the workstation, not the reader: a lower version than the installed one. */
  'rollback',
  /** Found by the workstation: the installed version number with other content. */
  'version_conflict',
] as const;
export type BundleRefusalCode = (typeof BUNDLE_REFUSALS)[number];

/** How a refusal's code is shown after its message: `… [hash_mismatch]`. */
export const withCode = (message: string, code: BundleRefusalCode): string => `${message} [${code}]`;
