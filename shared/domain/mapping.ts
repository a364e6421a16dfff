import { z } from 'zod';

export const MAPPING_FORMAT = 'casebook.mapping/1';

/**
 * How rows of a CSV file or records of a JSONL file become tasks. A field reference is a CSV
 * column name, or for JSONL a dotted path into the record ("meta.source"). See docs/bundles.md.
 */
const Field = z.string().min(1);
const ResponseColumns = z.strictObject({ content: Field, model: Field.optional(), modelVersion: Field.optional(), id: z.string().min(1).optional() });

export const Mapping = z.discriminatedUnion('kind', [
  z.strictObject({
    format: z.literal(MAPPING_FORMAT),
    kind: z.literal('compare'),
    id: Field.optional(),
    title: Field.optional(),
    system: Field.optional(),
    prompt: Field,
    /** Either fixed columns (one per response) or, for JSONL, an array field holding the responses. */
    responses: z.union([
      z.array(ResponseColumns).min(2, 'map at least two responses'),
      z.strictObject({ list: Field, content: Field, model: Field.optional(), modelVersion: Field.optional(), id: Field.optional() }),
    ]),
    /** A field naming the better response: a response id, "tie" or "both_unacceptable". */
    goldPreferred: Field.optional(),
    tags: Field.optional(),
  }),
  z.strictObject({
    format: z.literal(MAPPING_FORMAT),
    kind: z.literal('exemplar'),
    id: Field.optional(),
    title: Field.optional(),
    system: Field.optional(),
    prompt: Field,
    draft: Field,
    model: Field.optional(),
    modelVersion: Field.optional(),
    goldReference: Field.optional(),
    tags: Field.optional(),
  }),
]);
export type Mapping = z.infer<typeof Mapping>;
