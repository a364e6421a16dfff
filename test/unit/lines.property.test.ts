import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteLines, LineSplitter } from '../../shared/node/lines.ts';

/** Bytes rich in line breaks: LF, CR, CRLF, multi-byte UTF-8 and bytes that are not UTF-8 at all. */
const bytes = fc
  .array(fc.oneof(fc.constantFrom(0x0a, 0x0d, 0x0d, 0x61, 0x7b, 0xc3, 0xa9, 0xff), fc.integer({ min: 0, max: 255 })), { maxLength: 200 })
  .map((b) => Buffer.from(b));

/** The reference, on bytes: split at every LF, drop one CR before it, no empty line after a final LF. */
function reference(b: Buffer): string[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x0a) {
      lines.push(b.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < b.length) lines.push(b.subarray(start));
  return lines.map((l) => (l.length > 0 && l[l.length - 1] === 0x0d ? l.subarray(0, -1) : l)).map((l) => l.toString('hex'));
}

/** The input cut into chunks at the given (sorted, in-range) offsets. */
function chunks(b: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...at, b.length]) {
    out.push(b.subarray(prev, c));
    prev = c;
  }
  return out;
}

describe('LineSplitter (properties)', () => {
  it('gives the reference lines for any bytes, however they are cut into chunks', () => {
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 12 }), (b, cuts) => {
        const s = new LineSplitter();
        const out: string[] = [];
        const on = (l: Buffer) => out.push(l.toString('hex'));
        for (const c of chunks(b, cuts)) s.push(c, on);
        s.end(on);
        expect(out).toEqual(reference(b));
      }),
    );
  });

  it('never yields a line holding a LF, and rebuilds the input when the lines had no CR of their own', () => {
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 6 }), (raw, cuts) => {
        const b = Buffer.from(raw.map((x) => (x === 0x0d ? 0x61 : x)));
        const s = new LineSplitter();
        const out: Buffer[] = [];
        const on = (l: Buffer) => out.push(Buffer.from(l));
        for (const c of chunks(b, cuts)) s.push(c, on);
        s.end(on);
        for (const l of out) expect(l.includes(0x0a)).toBe(false);
        const rebuilt = Buffer.concat(out.flatMap((l) => [l, Buffer.from('\n')]));
        expect(rebuilt.toString('hex')).toBe(b.length === 0 || b[b.length - 1] === 0x0a ? b.toString('hex') : Buffer.concat([b, Buffer.from('\n')]).toString('hex'));
      }),
    );
  });

  it('byteLines streams the same lines as the splitter, from chunks given as Buffer or Uint8Array', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), async (b, cuts, plain) => {
        async function* source() {
          for (const c of chunks(b, cuts)) yield plain ? new Uint8Array(c) : c;
        }
        const out: string[] = [];
        for await (const l of byteLines(source())) out.push(l.toString('hex'));
        expect(out).toEqual(reference(b));
      }),
    );
  });
});
