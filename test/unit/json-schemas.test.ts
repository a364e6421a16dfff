import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { schemaDocuments } from '../../shared/formats/json-schemas.ts';

describe('documented JSON Schemas', () => {
  it('match the schemas the code enforces (run `npm run docs:schemas` after changing a format)', () => {
    for (const [name, doc] of Object.entries(schemaDocuments())) {
      const committed = JSON.parse(readFileSync(new URL(`../../docs/schemas/${name}.schema.json`, import.meta.url), 'utf8'));
      expect(committed, name).toEqual(doc);
    }
  });
});
