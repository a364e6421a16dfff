import { z } from 'zod';
import { JsonValue, Sha256Hex } from '../domain/index.ts';

/**
 * One line of each export format. The JSON Schemas in docs/schemas/export-*.schema.json are
 * generated from these, the Parquet column types are derived from them, and the tests validate
 * every exported line against them.
 */

const Role = z.enum(['system', 'user', 'assistant', 'tool']);

/** TRL's tool call: arguments are the JSON value itself (docs/source/dataset_formats.md, "Tool calling"). */
export const TrlToolCall = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({ name: z.string().min(1), arguments: JsonValue }),
});

/** The chat-completions tool call: an id, and arguments as a JSON string. */
export const ChatToolCall = z.strictObject({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.strictObject({ name: z.string().min(1), arguments: z.string() }),
});

/** A message in TRL's conversational form; an assistant tool call carries `tool_calls` and no content. */
export const TrlMessage = z.strictObject({
  role: Role,
  content: z.string().optional(),
  name: z.string().optional(),
  tool_calls: z.array(TrlToolCall).min(1).optional(),
});
export type TrlMessage = z.infer<typeof TrlMessage>;

/** A message in the chat-completions shape; a tool result names the call it answers. */
export const ChatMessage = z.strictObject({
  role: Role,
  content: z.string().optional(),
  name: z.string().optional(),
  tool_calls: z.array(ChatToolCall).min(1).optional(),
  tool_call_id: z.string().min(1).optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** A tool the run could call, as a function schema (the task names tools and may describe them; it gives no parameters). */
export const ToolSpec = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({ name: z.string().min(1), description: z.string().optional() }),
});
export type ToolSpec = z.infer<typeof ToolSpec>;

export const AnswerSource = z.enum(['adjudication', 'unanimous', 'majority', 'annotation']);
export type AnswerSource = z.infer<typeof AnswerSource>;

/**
 * Where a row came from. Every key is present on every row with one type (no nulls), so
 * dataset loaders infer one column type for the whole file.
 */
export const RowMetadata = z.strictObject({
  /** Stable row id: the first 32 hex digits of SHA-256 over the format, the source record ids and the parts used. */
  id: z.string().regex(/^[0-9a-f]{32}$/),
  /** "<bundle id>/<task id>". */
  task: z.string().min(1),
  bundleVersion: z.number().int().min(1),
  taskHash: Sha256Hex,
  /** What decided the answer: an adjudication, the policy's agreement, or one annotation. */
  answer: AnswerSource,
  /** The records the row came from, as "adjudication:<uuid>" and "annotation:<uuid>", sorted. */
  sources: z.array(z.string().min(1)).min(1),
  /** The task parts used, in row order: response ids (better first), "draft", "corrected", step ids ("<step>:corrected" for a correction). */
  parts: z.array(z.string().min(1)).min(1),
  /** The least current model-written part of the row, against the bundle's current model ("none": no model-written part). */
  modelStatus: z.enum(['current', 'older', 'other', 'unknown', 'none']),
  /** True when a model-written part is from a version older than the bundle's current one. */
  staleModel: z.boolean(),
});
export type RowMetadata = z.infer<typeof RowMetadata>;

const Completion = z.array(TrlMessage).min(1);

/** sft: TRL conversational language modeling; the last message is the corrected answer. */
export const SftLine = z.strictObject({
  messages: z.array(TrlMessage).min(2),
  tools: z.array(ToolSpec).optional(),
  metadata: RowMetadata,
});

/** dpo: TRL preference with an explicit prompt, standard (text) form. */
export const DpoLine = z.strictObject({
  prompt: z.string(),
  chosen: z.string(),
  rejected: z.string(),
  metadata: RowMetadata,
});

/** dpo --conversational: the prompt is a message list, chosen and rejected are assistant turns. */
export const DpoConversationalLine = z.strictObject({
  prompt: z.array(TrlMessage).min(1),
  chosen: Completion,
  rejected: Completion,
  tools: z.array(ToolSpec).optional(),
  metadata: RowMetadata,
});

/** kto: TRL unpaired preference, standard form. */
export const KtoLine = z.strictObject({
  prompt: z.string(),
  completion: z.string(),
  label: z.boolean(),
  metadata: RowMetadata,
});

export const KtoConversationalLine = z.strictObject({
  prompt: z.array(TrlMessage).min(1),
  completion: Completion,
  label: z.boolean(),
  metadata: RowMetadata,
});

/** prm: TRL stepwise supervision; completions[i] is labelled by labels[i]. */
export const PrmLine = z
  .strictObject({
    prompt: z.string(),
    completions: z.array(z.string()).min(1),
    labels: z.array(z.boolean()).min(1),
    metadata: RowMetadata,
  })
  .refine((l) => l.completions.length === l.labels.length, { message: 'one label per completion', path: ['labels'] });

/** chat-sft: the chat-completions fine-tuning shape; ids are in the side file, not on the line. */
export const ChatSftLine = z.strictObject({
  messages: z.array(ChatMessage).min(2),
  tools: z.array(ToolSpec).optional(),
});

/** chat-preference: the preference fine-tuning shape accepted by several services; ids in the side file. */
export const ChatPreferenceLine = z.strictObject({
  input: z.strictObject({ messages: z.array(ChatMessage).min(1), tools: z.array(ToolSpec).optional() }),
  preferred_output: z.array(ChatMessage).min(1),
  non_preferred_output: z.array(ChatMessage).min(1),
});

/** A line of a side file (chat-sft.meta.jsonl, chat-preference.meta.jsonl): line N describes data line N (from 1). */
export const SideLine = z.strictObject({
  line: z.number().int().min(1),
  metadata: RowMetadata,
});
