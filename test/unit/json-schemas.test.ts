import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { schemaDocuments } from '../../shared/formats/json-schemas.ts';

const DIR = new URL('../../docs/schemas/', import.meta.url);

describe('documented JSON Schemas', () => {
  it('match the schemas the code enforces (run `npm run docs:schemas` after changing a format)', () => {
    for (const [name, doc] of Object.entries(schemaDocuments())) {
      const committed = JSON.parse(readFileSync(new URL(`${name}.schema.json`, DIR), 'utf8'));
      expect(committed, name).toEqual(doc);
    }
  });

  it('docs/schemas holds exactly the generated documents (none stale, none missing)', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.schema.json')).sort();
    expect(files).toEqual(Object.keys(schemaDocuments()).map((n) => `${n}.schema.json`).sort());
  });

  it('cover the mapping file and the key rotation statement', () => {
    const docs = schemaDocuments() as Record<string, { anyOf?: { properties: { kind: { const: string } } }[]; oneOf?: { properties: { kind: { const: string } } }[]; required?: string[]; properties?: Record<string, { const?: string; required?: string[] }> }>;
    const mapping = docs.mapping!;
    const variants = mapping.oneOf ?? mapping.anyOf ?? [];
    expect(variants.map((v) => v.properties.kind.const).sort()).toEqual(['compare', 'exemplar']);
    const rotation = docs['key-rotation']!;
    expect(rotation.required?.sort()).toEqual(['createdAt', 'format', 'newKey', 'newLabel', 'oldKeyId']);
    expect(rotation.properties?.format?.const).toBe('casebook.key-rotation/1');
    expect(rotation.properties?.newKey?.required?.sort()).toEqual(['crv', 'kty', 'x']);
  });
});
