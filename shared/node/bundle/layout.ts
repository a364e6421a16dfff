/** Name of the signed manifest inside a bundle zip; it is the only entry not listed in itself. */
export const MANIFEST_ENTRY = 'manifest.dsse.json';
/** Caps on what is read before and besides the streamed task file. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;
export const MAX_SMALL_FILE_BYTES = 16 * 1024 * 1024;
