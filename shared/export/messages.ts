import type { Message, Step, TrajectoryTask } from '../domain/index.ts';
import type { ChatMessage, ToolSpec, TrlMessage } from './schemas.ts';
import { promptLength } from './steps.ts';

/**
 * Task content as chat messages, in two dialects:
 * - `trl`: TRL's conversational form. A tool call is `{"type":"function","function":{"name",
 *   "arguments": <the JSON value>}}` on an assistant message without content; a tool result is a
 *   `tool` message with the tool's `name`.
 * - `chat`: the chat-completions shape. A tool call has an `id` and its arguments as a JSON
 *   string; a tool result is a `tool` message with the `tool_call_id` it answers.
 * A thought becomes an assistant message with the thought as its content (neither shape has a
 * separate place for reasoning). System prompts stay as the first message(s), as in the task.
 */
export type Dialect = 'trl' | 'chat';
type Out<D extends Dialect> = D extends 'trl' ? TrlMessage : ChatMessage;

/** A message with text only: the same in both dialects. */
export interface PlainMessage {
  role: Message['role'];
  content: string;
  name?: string;
}

export function contextMessages(context: readonly Message[]): PlainMessage[] {
  return context.map((m) => (m.name !== undefined ? { role: m.role, content: m.content, name: m.name } : { role: m.role, content: m.content }));
}

export function assistant(content: string): PlainMessage {
  return { role: 'assistant', content };
}

/**
 * Tool-call ids: a call's own `callId`, else its step id; a result answers its `callId`, else
 * the latest call that has no result yet.
 */
export class CallIds {
  private readonly open: string[] = [];

  call(step: Extract<Step, { type: 'tool_call' }>): string {
    const id = step.callId ?? step.id;
    this.open.push(id);
    return id;
  }

  result(step: Extract<Step, { type: 'tool_result' }>): string {
    if (step.callId !== undefined) {
      const i = this.open.lastIndexOf(step.callId);
      if (i >= 0) this.open.splice(i, 1);
      return step.callId;
    }
    return this.open.pop() ?? step.id;
  }
}

export function stepMessage<D extends Dialect>(step: Step, dialect: D, ids: CallIds): Out<D> {
  switch (step.type) {
    case 'message':
      return { role: step.role, content: step.content } as Out<D>;
    case 'thought':
      return { role: 'assistant', content: step.content } as Out<D>;
    case 'tool_call': {
      const id = ids.call(step);
      return (
        dialect === 'trl'
          ? { role: 'assistant', tool_calls: [{ type: 'function', function: { name: step.tool, arguments: step.arguments } }] }
          : { role: 'assistant', tool_calls: [{ id, type: 'function', function: { name: step.tool, arguments: JSON.stringify(step.arguments) } }] }
      ) as Out<D>;
    }
    case 'tool_result': {
      const id = ids.result(step);
      if (dialect === 'trl') return (step.tool !== undefined ? { role: 'tool', name: step.tool, content: step.content } : { role: 'tool', content: step.content }) as Out<D>;
      return { role: 'tool', tool_call_id: id, content: step.content } as Out<D>;
    }
  }
}

/**
 * A trajectory up to (not including) step `end`, as messages: the task's context, a user turn
 * with the goal when the run does not open with one, then every step.
 */
export function trajectoryMessages<D extends Dialect>(task: TrajectoryTask, end: number, dialect: D, ids = new CallIds()): Out<D>[] {
  const out = contextMessages(task.context ?? []) as Out<D>[];
  const opensWithUser = task.steps.slice(0, promptLength(task)).some((s) => s.type === 'message' && s.role === 'user');
  if (!opensWithUser) out.push({ role: 'user', content: task.goal } as Out<D>);
  for (let i = 0; i < end; i++) out.push(stepMessage(task.steps[i]!, dialect, ids));
  return out;
}

export function toolSpecs(task: TrajectoryTask): ToolSpec[] | undefined {
  if (!task.tools || task.tools.length === 0) return undefined;
  return task.tools.map((t) => ({ type: 'function', function: t.description !== undefined ? { name: t.name, description: t.description } : { name: t.name } }));
}

const ROLE_LABEL: Record<Message['role'], string> = { system: 'System', user: 'User', assistant: 'Assistant', tool: 'Tool' };

/**
 * Plain-text forms (TRL's standard format).
 * - A transcript (a PRM prompt) is the text of a lone user message, else one "<Role>: <text>"
 *   block per message, separated by a blank line.
 * - A prompt (dpo, kto) is always the blocks followed by "\n\nAssistant:", and a completion after
 *   it starts with a space: the Anthropic HH layout, so prompt + completion reads as a dialogue.
 */
export function transcript(messages: readonly TrlMessage[]): string {
  if (messages.length === 1 && messages[0]!.role === 'user') return messageText(messages[0]!);
  return blocks(messages);
}

function blocks(messages: readonly TrlMessage[]): string {
  return messages.map((m) => `${ROLE_LABEL[m.role]}: ${messageText(m)}`).join('\n\n');
}

export function textPrompt(messages: readonly TrlMessage[]): string {
  return `${blocks(messages)}\n\nAssistant:`;
}

export function textCompletion(text: string): string {
  return ` ${text}`;
}

function messageText(m: TrlMessage): string {
  if (m.tool_calls) return m.tool_calls.map((c) => `${c.function.name}(${JSON.stringify(c.function.arguments)})`).join('\n');
  return m.content ?? '';
}

/**
 * One step as text (a PRM completion, or the rejected side of a step correction):
 * a message or thought is its text; a tool call is `name(<arguments as JSON>)`; a tool result
 * is `[name result] text` (`[name error] text` when it failed).
 */
export function stepText(step: Step): string {
  switch (step.type) {
    case 'message':
      return step.role === 'assistant' ? step.content : `${ROLE_LABEL[step.role]}: ${step.content}`;
    case 'thought':
      return step.content;
    case 'tool_call':
      return `${step.tool}(${JSON.stringify(step.arguments)})`;
    case 'tool_result':
      return `[${step.tool ?? 'tool'} ${step.isError ? 'error' : 'result'}] ${step.content}`;
  }
}
