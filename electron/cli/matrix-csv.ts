/**
 * Reading reliability data from a CSV for `casebook agreement --matrix`: a header row of unit
 * ids (its first cell is a free label such as "coder"), then one row per coder, first cell the
 * coder's name; an empty cell is a missing value. Every problem names the file, line and
 * column, and nothing is computed while any remains.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Cell } from '../../shared/agreement/index.ts';
import { CsvError, csvRecords } from '../../shared/node/csv.ts';
import { CliError } from './errors.ts';

export interface MatrixFile {
  readonly coders: readonly string[];
  readonly units: readonly string[];
  /** [coder][unit]: trimmed text, or a number when numbers were asked for; null = missing. */
  readonly matrix: readonly (readonly Cell[])[];
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const MAX_PROBLEMS = 20;

/**
 * `numbers`: why values must be numbers (e.g. "--level interval"), or null to keep them as
 * text labels.
 */
export async function readMatrixCsv(path: string, numbers: string | null): Promise<MatrixFile> {
  const file = basename(path);
  const problems: string[] = [];
  let count = 0;
  const problem = (line: number, column: number | null, message: string) => {
    if (count++ < MAX_PROBLEMS) problems.push(`${file}: line ${line}${column === null ? '' : `, column ${column}`}: ${message}`);
  };
  let header: string[] | null = null;
  const coders: string[] = [];
  const coderLine = new Map<string, number>();
  const matrix: Cell[][] = [];
  try {
    for await (const rec of csvRecords(createReadStream(path))) {
      if (!header) {
        header = rec.fields.slice(1).map((h) => h.trim());
        const firstColumn = new Map<string, number>();
        header.forEach((id, i) => {
          if (id === '') problem(rec.line, i + 2, 'the header has no unit id here');
          else if (firstColumn.has(id)) problem(rec.line, i + 2, `unit id "${id}" appears twice (also column ${firstColumn.get(id)! + 2})`);
          else firstColumn.set(id, i);
        });
        if (header.length === 0) problem(rec.line, null, 'the header names no units: expected "coder,UNIT1,UNIT2,…"');
        continue;
      }
      if (rec.fields.length !== header.length + 1) {
        problem(rec.line, null, `has ${rec.fields.length} fields, the header has ${header.length + 1}`);
        continue;
      }
      const name = rec.fields[0]!.trim();
      if (name === '') problem(rec.line, 1, 'the coder name is empty');
      else if (coderLine.has(name)) problem(rec.line, 1, `coder "${name}" appears twice (also line ${coderLine.get(name)})`);
      coderLine.set(name, rec.line);
      const row: Cell[] = rec.fields.slice(1).map((raw, i) => {
        const v = raw.trim();
        if (v === '') return null;
        if (numbers === null) return v;
        if (!NUMBER.test(v)) {
          problem(rec.line, i + 2, `"${v}" (unit "${header![i]}") is not a number; ${numbers} needs numbers`);
          return null;
        }
        return Number(v);
      });
      coders.push(name);
      matrix.push(row);
    }
  } catch (e) {
    if (e instanceof CsvError) problem(e.line, null, e.message);
    else if ((e as NodeJS.ErrnoException).code) throw new CliError(`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code})`);
    else throw e;
  }
  if (!header) throw new CliError(`${file}: the file is empty; expected a header row "coder,UNIT1,UNIT2,…" and one row per coder`);
  if (count === 0 && coders.length < 2) throw new CliError(`${file}: has ${coders.length} coder row${coders.length === 1 ? '' : 's'}; agreement needs at least two`);
  if (count === 1) throw new CliError(problems[0]!);
  if (count > 1) {
    const more = count > MAX_PROBLEMS ? `\n  … and ${count - MAX_PROBLEMS} more` : '';
    throw new CliError(`${file}: ${count} problems, nothing computed:\n${problems.map((p) => `  ${p}`).join('\n')}${more}`);
  }
  return { coders, units: header, matrix };
}
