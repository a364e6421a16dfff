/**
 * A small streaming CSV reader (RFC 4180): comma separated, fields optionally in double quotes,
 * "" for a quote inside a quoted field, quoted fields may hold commas and line breaks, records
 * end in CRLF or LF. Input must be UTF-8 (checked strictly, across chunk boundaries).
 */

export interface CsvRecord {
  /** Line on which the record starts (1-based), for error messages. */
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  override name = 'CsvError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export async function* csvRecords(source: AsyncIterable<Uint8Array>): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let field = '';
  let fields: string[] = [];
  let quoted = false; // inside a quoted field
  let afterQuote = false; // just closed a quoted field: only , or a line end may follow
  let pendingQuote = false; // saw " inside a quoted field: either "" or the closing quote
  let pendingCR = false;
  let line = 1;
  let recordLine = 1;
  let started = false; // the current record has started
  const endRecord = (): CsvRecord => {
    fields.push(field);
    const r = { line: recordLine, fields };
    field = '';
    fields = [];
    afterQuote = false;
    started = false;
    return r;
  };

  let first = true;
  for await (const chunk of (async function* () {
    let bytes: Uint8Array = new Uint8Array(0);
    try {
      for await (bytes of source) yield decoder.decode(bytes, { stream: true });
      yield decoder.decode();
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      // Everything before this chunk has been parsed; count the lines within it up to the bad byte.
      const lenient = new TextDecoder('utf-8').decode(bytes);
      const bad = lenient.indexOf('\ufffd');
      const within = (bad < 0 ? '' : lenient.slice(0, bad)).split('\n').length - 1;
      throw new CsvError(line + within, 'is not valid UTF-8');
    }
  })()) {
    let text = chunk;
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (pendingQuote) {
        pendingQuote = false;
        if (c === '"') {
          field += '"';
          continue;
        }
        quoted = false;
        afterQuote = true;
      }
      if (quoted) {
        if (c === '"') pendingQuote = true;
        else {
          if (c === '\n') line++;
          field += c;
        }
        continue;
      }
      if (pendingCR) {
        pendingCR = false;
        if (c !== '\n') throw new CsvError(line, 'has a carriage return that does not end a line');
      }
      if (c === ',') {
        fields.push(field);
        field = '';
        afterQuote = false;
        started = true;
      } else if (c === '\r') {
        pendingCR = true;
      } else if (c === '\n') {
        if (started || field !== '' || afterQuote) yield endRecord();
        line++;
        recordLine = line;
      } else if (afterQuote) {
        throw new CsvError(line, `has text after a closing quote (expected a comma or a line end, found "${c}")`);
      } else if (c === '"') {
        if (field !== '') throw new CsvError(line, 'has a quote inside an unquoted field (quote the whole field and double the quote)');
        quoted = true;
        started = true;
      } else {
        field += c;
        started = true;
      }
    }
  }
  if (pendingQuote) {
    quoted = false;
    afterQuote = true;
  }
  if (quoted) throw new CsvError(recordLine, 'has a quoted field that never ends');
  if (started || field !== '' || afterQuote) yield endRecord();
}
