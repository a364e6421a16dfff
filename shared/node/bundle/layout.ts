/** Name of the signed manifest inside a bundle zip; it is the only entry not listed in itself. */
export const MANIFEST_ENTRY = 'manifest.dsse.json';
/** Caps on what is read before and besides the streamed task file. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;
export const MAX_SMALL_FILE_BYTES = 16 * 1024 * 1024;
/**
 * Optional entry: a key rotation statement (shared/node/rotation.ts) naming the key that signed
 * this bundle as the successor of an older org key. Listed in the manifest like any file, so
 * the new key's signature covers it too.
 */
export const ROTATION_ENTRY = 'rotation.dsse.json';
/** Files a bundle may carry besides BUNDLE_FILES. */
export const OPTIONAL_BUNDLE_FILES: readonly string[] = [ROTATION_ENTRY];
export const MAX_ROTATION_BYTES = 64 * 1024;
