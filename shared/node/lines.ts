/**
 * Splits bytes into lines without decoding, so the caller can decode each line strictly and
 * report invalid UTF-8 with its line number. Handles LF and CRLF. Synchronous per chunk: hot
 * paths (bundle import) handle a chunk's lines in one go instead of one await per line.
 */
export class LineSplitter {
  private rest: Buffer = Buffer.alloc(0);

  /** Calls `onLine` for every line the chunk completes; each line is a view, valid during the call. */
  push(raw: Buffer | Uint8Array, onLine: (line: Buffer) => void): void {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let start = 0;
    let nl = chunk.indexOf(0x0a);
    if (nl === -1) {
      this.rest = this.rest.length ? Buffer.concat([this.rest, chunk]) : Buffer.from(chunk);
      return;
    }
    if (this.rest.length) {
      // Only the line that spans the two chunks is joined, never the whole chunk.
      const joined = Buffer.concat([this.rest, chunk.subarray(0, nl)]);
      this.rest = Buffer.alloc(0);
      onLine(joined.length > 0 && joined[joined.length - 1] === 0x0d ? joined.subarray(0, joined.length - 1) : joined);
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    while (nl !== -1) {
      onLine(chunk.subarray(start, nl > start && chunk[nl - 1] === 0x0d ? nl - 1 : nl));
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    // A copy: the remainder must not keep the whole chunk alive until the next one.
    if (start < chunk.length) this.rest = Buffer.from(chunk.subarray(start));
  }

  /** The last line, when the input does not end with a newline. */
  end(onLine: (line: Buffer) => void): void {
    const rest = this.rest;
    this.rest = Buffer.alloc(0);
    if (rest.length) onLine(rest[rest.length - 1] === 0x0d ? rest.subarray(0, rest.length - 1) : rest);
  }
}

export async function* byteLines(source: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<Buffer> {
  const splitter = new LineSplitter();
  const lines: Buffer[] = [];
  const collect = (line: Buffer) => lines.push(line);
  for await (const raw of source) {
    splitter.push(raw, collect);
    yield* lines;
    lines.length = 0;
  }
  splitter.end(collect);
  yield* lines;
}
