import type { Answer } from '../../domain/index.ts';
import { assistant, CallIds, contextMessages, toolSpecs, trajectoryMessages, type Dialect } from '../messages.ts';
import { firstCorrection, promptLength } from '../steps.ts';
import { producerCheck, type Draft, type NoRows, type RowContext } from './context.ts';

/**
 * Supervised examples: an exemplar's context followed by the corrected response; with
 * `fromTrajectories`, a trajectory up to its first error followed by the corrected step. The
 * same rows serve `sft` (TRL dialect) and `chat-sft` (chat-completions dialect).
 */
export function sftRows(dialect: Dialect) {
  return (ctx: RowContext, answer: Answer): Draft[] | { none: NoRows } => {
    const task = ctx.unit.task;
    if (task.kind === 'exemplar' && answer.kind === 'exemplar') {
      if (answer.corrected.trim() === '') return { none: 'no_correction' };
      // A draft confirmed unchanged is model-written text endorsed as it is.
      const endorsed = answer.confirmedUnchanged && answer.corrected.trim() === task.draft.trim();
      return [{ data: { messages: [...contextMessages(task.context), assistant(answer.corrected)] }, parts: ['corrected'], produced: endorsed ? [producerCheck(ctx, task)] : [] }];
    }
    if (task.kind === 'trajectory' && answer.kind === 'trajectory') {
      if (!ctx.options.fromTrajectories) return { none: 'trajectories_not_requested' };
      const c = firstCorrection(task, answer);
      if ('none' in c) return c;
      const tools = toolSpecs(task);
      const messages = [...trajectoryMessages(task, c.index, dialect, new CallIds()), assistant(c.corrected)];
      return [
        {
          data: { messages, ...(tools ? { tools } : {}) },
          parts: [`${task.steps[c.index]!.id}:corrected`],
          // The history before the error holds the agent's own (correct) steps.
          produced: c.index > promptLength(task) ? [producerCheck(ctx, task)] : [],
        },
      ];
    }
    return { none: 'kind_not_applicable' };
  };
}
