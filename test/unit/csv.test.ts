import { describe, expect, it } from 'vitest';
import { csvRecords, CsvError } from '../../shared/node/csv.ts';

async function parse(...chunks: (string | Uint8Array)[]) {
  const out = [];
  for await (const r of csvRecords((async function* () {
    for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c) : c;
  })())) out.push(r);
  return out;
}

describe('csvRecords (RFC 4180)', () => {
  it('reads plain, quoted, empty and escaped fields', async () => {
    expect(await parse('a,b,c\n1,"two, with comma",\n"say ""hi""",,x\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'two, with comma', ''] },
      { line: 3, fields: ['say "hi"', '', 'x'] },
    ]);
  });

  it('keeps line breaks inside quoted fields and counts lines for the next record', async () => {
    expect(await parse('id,text\r\n1,"line one\r\nline two"\r\n2,after\r\n')).toEqual([
      { line: 1, fields: ['id', 'text'] },
      { line: 2, fields: ['1', 'line one\r\nline two'] },
      { line: 4, fields: ['2', 'after'] },
    ]);
  });

  it('handles a last record without a line end, a BOM, blank lines and chunks split anywhere', async () => {
    const text = '\ufeffid,v\n\n1,"a""b"\n2,é';
    const bytes = Buffer.from(text);
    const chunks = Array.from(bytes).map((b) => Uint8Array.of(b)); // one byte at a time, splitting é and ""
    expect(await parse(...chunks)).toEqual([
      { line: 1, fields: ['id', 'v'] },
      { line: 3, fields: ['1', 'a"b'] },
      { line: 4, fields: ['2', 'é'] },
    ]);
  });

  it.each([
    ['an unterminated quote', 'a,b\n1,"never ends\n', 2, /never ends/],
    ['text after a closing quote', 'a\n"x"y\n', 2, /after a closing quote/],
    ['a stray quote in an unquoted field', 'a\nx"y\n', 2, /quote inside an unquoted field/],
    ['invalid UTF-8', Buffer.from([0x61, 0x0a, 0xff, 0x0a]), 2, /not valid UTF-8/],
  ])('refuses %s with its line', async (_name, input, line, message) => {
    const e = await parse(input).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CsvError);
    expect((e as CsvError).message).toMatch(message);
    expect((e as CsvError).line).toBe(line);
  });
});
