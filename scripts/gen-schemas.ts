// Writes docs/schemas/*.schema.json from the same zod schemas the code validates with, so the
// documented formats cannot drift from the enforced ones (a test compares them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaDocuments } from '../shared/formats/json-schemas.ts';

const out = fileURLToPath(new URL('../docs/schemas', import.meta.url));
mkdirSync(out, { recursive: true });
for (const [name, doc] of Object.entries(schemaDocuments())) {
  writeFileSync(join(out, `${name}.schema.json`), JSON.stringify(doc, null, 2) + '\n');
  console.log(`docs/schemas/${name}.schema.json`);
}
