import { readFileSync } from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const cache = new Map<string, ValidateFunction>();

/** A validator for one of the committed JSON Schemas in docs/schemas (the documents users get). */
export function documentedSchema(name: string): ValidateFunction {
  let v = cache.get(name);
  if (!v) {
    const doc = JSON.parse(readFileSync(new URL(`../../docs/schemas/${name}.schema.json`, import.meta.url), 'utf8')) as object;
    v = ajv.compile(doc);
    cache.set(name, v);
  }
  return v;
}

/** The problems a line has against a documented schema, as "path: message" (empty: valid). */
export function schemaProblems(name: string, value: unknown): string[] {
  const v = documentedSchema(name);
  return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message ?? 'invalid'}`);
}
