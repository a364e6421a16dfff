import { z } from 'zod';
import { fileWriter, ParquetWriter } from 'hyparquet-writer';

/**
 * Parquet beside a JSONL file, with the same columns. The Parquet schema is derived from the
 * JSON Schema of the format's line (itself generated from the zod schema the lines are checked
 * against), so the two files cannot drift apart:
 * - objects become groups, arrays three-level LISTs, strings UTF8, booleans BOOLEAN, integers
 *   INT64, other numbers DOUBLE; a key that may be absent or null is OPTIONAL;
 * - anything without one fixed shape (a union of shapes, free JSON such as tool-call arguments,
 *   a map keyed by id) is stored as JSON text (`converted_type: JSON`).
 */

/** The schema element type of the writer itself (hyparquet-writer carries its own hyparquet types). */
type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  $ref?: string;
  additionalProperties?: unknown;
}

type Leaf = 'string' | 'boolean' | 'int' | 'double' | 'json';
/** How to turn a line's value into what the Parquet writer takes, for one node of the schema. */
type Plan = { leaf: Leaf } | { list: Plan } | { group: [string, Plan][] };

interface Node {
  elements: SchemaElement[];
  plan: Plan;
}

const isNull = (s: JsonSchema) => s.type === 'null';

/** The one non-null alternative of a nullable schema, or null when there are several shapes. */
function unwrap(s: JsonSchema): { inner: JsonSchema; nullable: boolean } | null {
  const alts = s.anyOf ?? s.oneOf;
  if (!alts) return { inner: s, nullable: false };
  const real = alts.filter((a) => !isNull(a));
  if (real.length !== 1) return null;
  return { inner: real[0]!, nullable: real.length !== alts.length };
}

function node(name: string, schema: JsonSchema, optional: boolean): Node {
  const u = unwrap(schema);
  const repetition_type = optional || (u?.nullable ?? false) ? 'OPTIONAL' : 'REQUIRED';
  const json = (): Node => ({ elements: [{ name, type: 'BYTE_ARRAY', converted_type: 'JSON', repetition_type }], plan: { leaf: 'json' } });
  if (!u || u.inner.$ref) return json();
  const s = u.inner;
  const type = Array.isArray(s.type) ? undefined : (s.type ?? (typeof s.const === 'string' ? 'string' : typeof s.const === 'boolean' ? 'boolean' : undefined));
  switch (type) {
    case 'string':
      return { elements: [{ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type }], plan: { leaf: 'string' } };
    case 'boolean':
      return { elements: [{ name, type: 'BOOLEAN', repetition_type }], plan: { leaf: 'boolean' } };
    case 'integer':
      return { elements: [{ name, type: 'INT64', repetition_type }], plan: { leaf: 'int' } };
    case 'number':
      return { elements: [{ name, type: 'DOUBLE', repetition_type }], plan: { leaf: 'double' } };
    case 'array': {
      if (!s.items) return json();
      const item = node('element', s.items, false);
      return {
        elements: [{ name, repetition_type, converted_type: 'LIST', num_children: 1 }, { name: 'list', repetition_type: 'REPEATED', num_children: 1 }, ...item.elements],
        plan: { list: item.plan },
      };
    }
    case 'object': {
      const props = Object.entries(s.properties ?? {});
      // A map (keys are data, e.g. ids) has no fixed columns: JSON text.
      if (props.length === 0) return json();
      const required = new Set(s.required ?? []);
      const children = props.map(([k, v]) => [k, node(k, v, !required.has(k))] as const);
      return {
        elements: [{ name, repetition_type, num_children: children.length }, ...children.flatMap(([, c]) => c.elements)],
        plan: { group: children.map(([k, c]) => [k, c.plan]) },
      };
    }
    default:
      return json();
  }
}

export interface ParquetLayout {
  schema: SchemaElement[];
  columns: string[];
  /** A line as the writer takes it (integers as BigInt for INT64). */
  row(line: Record<string, unknown>): Record<string, unknown>;
}

function convert(plan: Plan, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if ('leaf' in plan) return plan.leaf === 'int' ? BigInt(v as number) : v;
  if ('list' in plan) return (v as unknown[]).map((x) => convert(plan.list, x));
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, p] of plan.group) out[k] = convert(p, o[k]);
  return out;
}

export function parquetLayout(lineSchema: z.ZodType): ParquetLayout {
  const root = z.toJSONSchema(lineSchema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  const top = node('root', root, false);
  if (!('group' in top.plan)) throw new Error('a line schema must be an object');
  const [rootElement, ...rest] = top.elements;
  const plan = top.plan;
  return {
    schema: [{ name: 'root', num_children: rootElement!.num_children! }, ...rest],
    columns: plan.group.map(([k]) => k),
    row: (line) => convert(plan, line) as Record<string, unknown>,
  };
}

const ROW_GROUP = 10_000;

/**
 * A Parquet file written a row group at a time: at most ROW_GROUP rows are held, so memory
 * stays flat however many rows the export has.
 */
export class ParquetFile {
  private readonly pq: ParquetWriter;
  private pending: Record<string, unknown>[] = [];
  rows = 0;

  constructor(
    readonly path: string,
    private readonly layout: ParquetLayout,
  ) {
    this.pq = new ParquetWriter({ writer: fileWriter(path), schema: layout.schema, createdBy: 'casebook export' });
  }

  add(line: Record<string, unknown>): void {
    this.pending.push(this.layout.row(line));
    this.rows++;
    if (this.pending.length >= ROW_GROUP) this.flushGroup();
  }

  private flushGroup(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    const columnData = this.layout.columns.map((name) => ({ name, data: rows.map((r) => r[name]) }));
    // hyparquet-writer's file writer flushes synchronously, so write() and finish() return nothing to await.
    void this.pq.write({ columnData, rowGroupSize: rows.length });
  }

  close(): void {
    this.flushGroup();
    void this.pq.finish();
  }
}
