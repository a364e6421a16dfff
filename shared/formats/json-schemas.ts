import { z } from 'zod';
import { Annotation, Adjudication, Batch, BundleSettings, Manifest, Mapping, RotationStatement, Rubric, Task, Taxonomy } from '../domain/index.ts';

const BASE = 'https://casebook.invalid/schemas/';

/** The file formats, as JSON Schema documents generated from the schemas the code enforces. */
export function schemaDocuments(): Record<string, object> {
  const docs: Record<string, { schema: z.ZodType; title: string; io: 'input' | 'output' }> = {
    'bundle-settings': { schema: BundleSettings, title: 'bundle.json: settings of a task bundle', io: 'input' },
    rubric: { schema: Rubric, title: 'rubric.json: criteria and their scales', io: 'input' },
    taxonomy: { schema: Taxonomy, title: 'taxonomy.json: error types, assumption categories, escalation reasons, tags', io: 'input' },
    task: { schema: Task, title: 'One line of tasks.jsonl: a compare, exemplar or trajectory task', io: 'input' },
    manifest: { schema: Manifest, title: 'The signed manifest payload of a bundle', io: 'output' },
    annotation: { schema: Annotation, title: 'One revision of an annotation', io: 'output' },
    adjudication: { schema: Adjudication, title: "A reviewer's adjudication of a task", io: 'output' },
    batch: { schema: Batch, title: 'The signed payload of a sync batch', io: 'output' },
    mapping: { schema: Mapping, title: 'A mapping file: how CSV columns or JSONL fields become tasks (bundle build --from-csv/--from-jsonl)', io: 'input' },
    'key-rotation': { schema: RotationStatement, title: 'The signed payload of a key rotation statement (rotation.dsse.json in a bundle, or trust rotate)', io: 'input' },
  };
  return Object.fromEntries(
    Object.entries(docs).map(([name, d]) => [
      name,
      { $id: `${BASE}${name}.schema.json`, title: d.title, ...z.toJSONSchema(d.schema, { io: d.io, unrepresentable: 'any' }) },
    ]),
  );
}
