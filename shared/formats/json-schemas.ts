import { z } from 'zod';
import { Annotation, Adjudication, Batch, BundleSettings, EnrolStatement, Manifest, Mapping, Receipt, RotationStatement, Rubric, Task, Taxonomy } from '../domain/index.ts';
import { EnrolRequest } from '../sync/wire.ts';
import {
  ChatPreferenceLine,
  ChatSftLine,
  DpoConversationalLine,
  DpoLine,
  ExportManifest,
  FullLine,
  KtoConversationalLine,
  KtoLine,
  PrmLine,
  SftLine,
  SideLine,
} from '../export/index.ts';

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
    'enrol-request': { schema: EnrolRequest, title: 'The body of POST /v1/enrol: the device public key and the enrolment proof (a DSSE envelope as JSON text)', io: 'input' },
    'enrol-statement': { schema: EnrolStatement, title: 'The signed payload of an enrolment proof', io: 'input' },
    receipt: { schema: Receipt, title: 'The signed payload of a server receipt for an accepted batch', io: 'output' },
    mapping: { schema: Mapping, title: 'A mapping file: how CSV columns or JSONL fields become tasks (bundle build --from-csv/--from-jsonl)', io: 'input' },
    'key-rotation': { schema: RotationStatement, title: 'The signed payload of a key rotation statement (rotation.dsse.json in a bundle, or trust rotate)', io: 'input' },
    'export-sft': { schema: SftLine, title: 'One line of an sft export (TRL conversational language modeling)', io: 'output' },
    'export-dpo': { schema: DpoLine, title: 'One line of a dpo export (TRL preference, explicit prompt, standard form)', io: 'output' },
    'export-dpo-conversational': { schema: DpoConversationalLine, title: 'One line of a dpo export with --conversational (TRL preference, conversational form)', io: 'output' },
    'export-kto': { schema: KtoLine, title: 'One line of a kto export (TRL unpaired preference, standard form)', io: 'output' },
    'export-kto-conversational': { schema: KtoConversationalLine, title: 'One line of a kto export with --conversational (TRL unpaired preference, conversational form)', io: 'output' },
    'export-prm': { schema: PrmLine, title: 'One line of a prm export (TRL stepwise supervision)', io: 'output' },
    'export-chat-sft': { schema: ChatSftLine, title: 'One line of a chat-sft export (chat-completions fine-tuning shape)', io: 'output' },
    'export-chat-preference': { schema: ChatPreferenceLine, title: 'One line of a chat-preference export (input / preferred_output / non_preferred_output)', io: 'output' },
    'export-side': { schema: SideLine, title: 'One line of an export side file (<format>.meta.jsonl): the id and sources of data line N', io: 'output' },
    'export-full': { schema: FullLine, title: 'One line of a full export: a task with every record and its provenance', io: 'output' },
    'export-manifest': { schema: ExportManifest, title: 'The signed payload of an export manifest (manifest.dsse.json)', io: 'output' },
  };
  return Object.fromEntries(
    Object.entries(docs).map(([name, d]) => [
      name,
      { $id: `${BASE}${name}.schema.json`, title: d.title, ...z.toJSONSchema(d.schema, { io: d.io, unrepresentable: 'any' }) },
    ]),
  );
}
