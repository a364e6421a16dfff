import type { Answer, Message } from '../../domain/index.ts';
import { assistant, CallIds, contextMessages, stepMessage, stepText, textCompletion, textPrompt, toolSpecs, trajectoryMessages } from '../messages.ts';
import type { ModelCheck } from '../models.ts';
import { orderOf, pairsOf } from '../pairs.ts';
import type { ChatMessage, ToolSpec, TrlMessage } from '../schemas.ts';
import { firstCorrection } from '../steps.ts';
import { producerCheck, responseCheck, type Draft, type NoRows, type RowContext } from './context.ts';

/** One preference in dialect-neutral terms, before it takes a format's shape. */
interface Preference {
  prompt: { trl: TrlMessage[]; chat: ChatMessage[] };
  tools: ToolSpec[] | undefined;
  chosen: { text: string; trl: TrlMessage; chat: ChatMessage };
  rejected: { text: string; trl: TrlMessage; chat: ChatMessage };
  parts: string[];
  produced: ModelCheck[];
}

type Shape = 'dpo' | 'dpo-conversational' | 'chat-preference';

function shaped(p: Preference, shape: Shape): Draft {
  const data =
    shape === 'dpo'
      ? { prompt: textPrompt(p.prompt.trl), chosen: textCompletion(p.chosen.text), rejected: textCompletion(p.rejected.text) }
      : shape === 'dpo-conversational'
        ? { prompt: p.prompt.trl, chosen: [p.chosen.trl], rejected: [p.rejected.trl], ...(p.tools ? { tools: p.tools } : {}) }
        : { input: { messages: p.prompt.chat, ...(p.tools ? { tools: p.tools } : {}) }, preferred_output: [p.chosen.chat], non_preferred_output: [p.rejected.chat] };
  return { data, parts: p.parts, produced: p.produced };
}

const plain = (context: readonly Message[]) => {
  const m = contextMessages(context);
  return { trl: m, chat: m };
};
const said = (text: string) => ({ text, trl: assistant(text), chat: assistant(text) });

/**
 * Preference pairs: a compare answer's order expanded under the pairing policy; an exemplar's
 * correction preferred to its draft; with `fromTrajectories`, a trajectory's corrected first
 * error step preferred to the step the agent took. Ties and "both unacceptable" never pair.
 */
export function preferenceRows(shape: Shape) {
  return (ctx: RowContext, answer: Answer): Draft[] | { none: NoRows } => {
    const task = ctx.unit.task;
    if (task.kind === 'compare' && answer.kind === 'compare') {
      const order = orderOf(answer, task.responses.map((r) => r.id));
      if ('none' in order) return order;
      const pairs = pairsOf(order.groups, ctx.options.pairing);
      if (pairs.length === 0) return { none: 'tie' };
      const content = new Map(task.responses.map((r) => [r.id, r.content]));
      const prompt = plain(task.context);
      return pairs.map(([a, b]) =>
        shaped({ prompt, tools: undefined, chosen: said(content.get(a)!), rejected: said(content.get(b)!), parts: [a, b], produced: [responseCheck(ctx, task, a), responseCheck(ctx, task, b)] }, shape),
      );
    }
    if (task.kind === 'exemplar' && answer.kind === 'exemplar') {
      if (answer.corrected.trim() === '') return { none: 'no_correction' };
      if (answer.corrected.trim() === task.draft.trim()) return { none: 'unchanged' };
      return [shaped({ prompt: plain(task.context), tools: undefined, chosen: said(answer.corrected), rejected: said(task.draft), parts: ['corrected', 'draft'], produced: [producerCheck(ctx, task)] }, shape)];
    }
    if (task.kind === 'trajectory' && answer.kind === 'trajectory') {
      if (!ctx.options.fromTrajectories) return { none: 'trajectories_not_requested' };
      const c = firstCorrection(task, answer);
      if ('none' in c) return c;
      const step = task.steps[c.index]!;
      // Each dialect numbers tool calls along the history, so the rejected step continues it.
      const trlIds = new CallIds();
      const chatIds = new CallIds();
      const prompt = { trl: trajectoryMessages(task, c.index, 'trl', trlIds), chat: trajectoryMessages(task, c.index, 'chat', chatIds) };
      const rejected = { text: stepText(step), trl: stepMessage(step, 'trl', trlIds), chat: stepMessage(step, 'chat', chatIds) };
      return [shaped({ prompt, tools: toolSpecs(task), chosen: said(c.corrected), rejected, parts: [`${step.id}:corrected`, step.id], produced: [producerCheck(ctx, task)] }, shape)];
    }
    return { none: 'kind_not_applicable' };
  };
}
