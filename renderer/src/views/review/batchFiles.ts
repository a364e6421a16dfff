/** A batch file read in the browser, ready for sync.importBatchData. */
export interface EncodedFile {
  name: string;
  data: string;
}

/** The contract's cap per file (base64 of 9 MiB stays under it). */
const MAX_FILE_BYTES = 9 * 1024 * 1024;

function base64(bytes: Uint8Array): string {
  let s = '';
  // In slices: String.fromCharCode with a whole file's bytes would overflow the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Reads the chosen files; a file too large to be a batch is refused here, named, without sending it. */
export async function encodeFiles(files: readonly File[]): Promise<{ files: EncodedFile[]; refused: { file: string; ok: false; message: string }[] }> {
  const out: EncodedFile[] = [];
  const refused: { file: string; ok: false; message: string }[] = [];
  for (const f of files) {
    if (f.size > MAX_FILE_BYTES) {
      refused.push({ file: f.name, ok: false, message: `is ${Math.round(f.size / 1024 / 1024)} MiB, larger than any batch file` });
      continue;
    }
    out.push({ name: f.name, data: base64(new Uint8Array(await f.arrayBuffer())) });
  }
  return { files: out, refused };
}
