import { describe, expect, it } from 'vitest';
import { byteLines, LineSplitter } from '../../shared/node/lines.ts';

/** The reference: split on LF, drop one CR before it, no empty last line after a final LF. */
function reference(text: string): string[] {
  const parts = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

function viaSplitter(bytes: Buffer, cuts: number[]): string[] {
  const s = new LineSplitter();
  const out: string[] = [];
  const on = (l: Buffer) => out.push(l.toString('utf8'));
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    s.push(bytes.subarray(at, c), on);
    at = c;
  }
  s.end(on);
  return out;
}

describe('LineSplitter', () => {
  const text = 'first\r\nsecond\n\nfourth é\r\n\r\nlast without newline';

  it('gives the same lines wherever the chunks are cut', () => {
    const bytes = Buffer.from(text);
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b += 3) {
        expect(viaSplitter(bytes, [a, b]), `cuts at ${a}, ${b}`).toEqual(reference(text));
      }
    }
  });

  it('joins a line spread over many one-byte chunks and keeps a CR split from its LF out of the line', () => {
    const bytes = Buffer.from('ab\r\ncd\r\n');
    expect(viaSplitter(bytes, [1, 2, 3, 4, 5, 6, 7])).toEqual(['ab', 'cd']);
  });

  it('does not keep the chunk alive through the unfinished line', async () => {
    const chunk = Buffer.from('done\npartial');
    const s = new LineSplitter();
    s.push(chunk, () => undefined);
    chunk.fill(0x78);
    const out: string[] = [];
    s.end((l) => out.push(l.toString()));
    expect(out).toEqual(['partial']);
  });

  it('byteLines streams the same lines', async () => {
    async function* chunks() {
      yield Buffer.from('one\ntw');
      yield new Uint8Array(Buffer.from('o\r\nthree'));
    }
    const out: string[] = [];
    for await (const l of byteLines(chunks())) out.push(l.toString());
    expect(out).toEqual(['one', 'two', 'three']);
  });
});
