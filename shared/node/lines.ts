/**
 * Splits a byte stream into lines without decoding, so the caller can decode each line
 * strictly and report invalid UTF-8 with its line number. Handles LF and CRLF.
 */
export async function* byteLines(source: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const raw of source) {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    let nl: number;
    while ((nl = buf.indexOf(0x0a, start)) !== -1) {
      const end = nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl;
      yield buf.subarray(start, end);
      start = nl + 1;
    }
    rest = Buffer.from(buf.subarray(start));
  }
  if (rest.length) yield rest.length && rest[rest.length - 1] === 0x0d ? rest.subarray(0, rest.length - 1) : rest;
}
