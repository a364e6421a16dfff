import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { CsvError, csvRecords } from '../csv.ts';
import { byteLines } from '../lines.ts';
import type { Problem } from './problems.ts';
import { MAPPING_FORMAT, Mapping } from '../../domain/mapping.ts';

export { MAPPING_FORMAT, Mapping };

/** One input record turned into a task candidate (validated later like any task line), or why it could not be. */
export type MappedRecord = { line: number; value: unknown } | { line: number; problems: Problem[] };

type Row = (field: string) => unknown;

/** Tags in a CSV cell are separated by semicolons; in JSONL they may also be an array. */
function tagsOf(v: unknown): unknown {
  if (typeof v === 'string') return v.split(';').map((t) => t.trim()).filter(Boolean);
  return v;
}

function toTask(m: Mapping, get: Row, line: number, file: string): MappedRecord {
  const problems: Problem[] = [];
  const need = (field: string): string => {
    const v = get(field);
    if (typeof v !== 'string' || v === '') {
      problems.push({ file, line, field, message: v === undefined ? 'is missing' : 'must be non-empty text' });
      return '';
    }
    return v;
  };
  const opt = (field: string | undefined): string | undefined => {
    if (!field) return undefined;
    const v = get(field);
    return v === undefined || v === null || v === '' ? undefined : String(v);
  };
  const id = m.id ? need(m.id) : `row-${line}`;
  const context = [...(m.system && opt(m.system) ? [{ role: 'system', content: opt(m.system)! }] : []), { role: 'user', content: need(m.prompt) }];
  const common = {
    id,
    ...(opt(m.title) ? { title: opt(m.title) } : {}),
    ...(m.tags && get(m.tags) !== undefined && get(m.tags) !== '' ? { tags: tagsOf(get(m.tags)) } : {}),
  };
  let task: Record<string, unknown>;
  if (m.kind === 'compare') {
    let responses: unknown[];
    if (Array.isArray(m.responses)) {
      responses = m.responses.map((r, i) => ({
        id: r.id ?? `r${i + 1}`,
        content: need(r.content),
        ...(opt(r.model) ? { model: opt(r.model) } : {}),
        ...(opt(r.modelVersion) ? { modelVersion: opt(r.modelVersion) } : {}),
      }));
    } else {
      const spec = m.responses;
      const list = get(spec.list);
      if (!Array.isArray(list)) {
        problems.push({ file, line, field: spec.list, message: 'must be an array of responses' });
        responses = [];
      } else {
        responses = list.map((item: unknown, i) => {
          const at = (f: string) => pick(item, f);
          const content = at(spec.content);
          const model = spec.model ? at(spec.model) : undefined;
          const modelVersion = spec.modelVersion ? at(spec.modelVersion) : undefined;
          return {
            id: spec.id ? String(at(spec.id)) : `r${i + 1}`,
            content,
            ...(model !== undefined ? { model } : {}),
            ...(modelVersion !== undefined && modelVersion !== null && modelVersion !== '' ? { modelVersion: String(modelVersion) } : {}),
          };
        });
      }
    }
    const preferred = opt(m.goldPreferred);
    task = { ...common, kind: 'compare', context, responses, ...(preferred ? { gold: { preferred } } : {}) };
  } else {
    const reference = opt(m.goldReference);
    task = {
      ...common,
      kind: 'exemplar',
      context,
      draft: need(m.draft),
      ...(opt(m.model) ? { model: opt(m.model) } : {}),
      ...(opt(m.modelVersion) ? { modelVersion: opt(m.modelVersion) } : {}),
      ...(reference ? { gold: { reference } } : {}),
    };
  }
  return problems.length > 0 ? { line, problems } : { line, value: task };
}

function pick(record: unknown, path: string): unknown {
  let v: unknown = record;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Task candidates from a JSONL file, one per non-blank line. */
export async function* jsonlRecords(path: string, mapping: Mapping): AsyncGenerator<MappedRecord> {
  const file = basename(path);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 0;
  for await (const bytes of byteLines(createReadStream(path))) {
    line++;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      yield { line, problems: [{ file, line, message: 'is not valid UTF-8' }] };
      continue;
    }
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (e) {
      yield { line, problems: [{ file, line, message: `invalid JSON (${(e as Error).message})` }] };
      continue;
    }
    yield toTask(mapping, (f) => pick(record, f), line, file);
  }
}

/** Task candidates from a CSV file with a header row naming the columns. */
export async function* csvTaskRecords(path: string, mapping: Mapping): AsyncGenerator<MappedRecord> {
  const file = basename(path);
  let header: string[] | null = null;
  try {
    for await (const rec of csvRecords(createReadStream(path))) {
      if (!header) {
        header = rec.fields.map((h) => h.trim());
        const dup = header.find((h, i) => header!.indexOf(h) !== i);
        if (dup !== undefined) {
          yield { line: rec.line, problems: [{ file, line: rec.line, message: `the header names column "${dup}" twice` }] };
          return;
        }
        const missing = referencedColumns(mapping).filter((c) => !header!.includes(c));
        if (missing.length > 0) {
          yield { line: rec.line, problems: missing.map((c) => ({ file, line: rec.line, field: c, message: 'the mapping names this column but the header does not have it' })) };
          return;
        }
        continue;
      }
      if (rec.fields.length !== header.length) {
        yield { line: rec.line, problems: [{ file, line: rec.line, message: `has ${rec.fields.length} fields, the header has ${header.length}` }] };
        continue;
      }
      const row = new Map(header.map((h, i) => [h, rec.fields[i]!]));
      yield toTask(mapping, (f) => row.get(f), rec.line, file);
    }
  } catch (e) {
    if (e instanceof CsvError) yield { line: e.line, problems: [{ file, line: e.line, message: e.message }] };
    else throw e;
  }
}

function referencedColumns(m: Mapping): string[] {
  const cols = [m.id, m.title, m.system, m.prompt, m.tags];
  if (m.kind === 'compare') {
    if (Array.isArray(m.responses)) for (const r of m.responses) cols.push(r.content, r.model, r.modelVersion);
    else cols.push(m.responses.list);
    cols.push(m.goldPreferred);
  } else cols.push(m.draft, m.model, m.modelVersion, m.goldReference);
  return cols.filter((c): c is string => typeof c === 'string');
}
