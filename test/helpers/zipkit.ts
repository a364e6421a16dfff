import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { SafeZip } from '../../shared/node/zip.ts';

export interface RawEntry {
  name: string;
  data: Buffer;
}

/** Reads every entry of a (trusted, test-built) zip. */
export async function readEntries(path: string): Promise<RawEntry[]> {
  const zip = await SafeZip.open(path);
  try {
    const out: RawEntry[] = [];
    for (const e of zip.entries()) out.push({ name: e.name, data: await zip.read(e.name, e.uncompressedSize) });
    return out;
  } finally {
    zip.close();
  }
}

/** Writes entries uncompressed, so a test can find and flip bytes of content in the file. */
export async function writeEntries(path: string, entries: RawEntry[]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name, { compress: false, mtime: new Date(0) });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}
