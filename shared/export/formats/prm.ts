import type { Answer } from '../../domain/index.ts';
import { stepText, trajectoryMessages, transcript } from '../messages.ts';
import { labelSteps } from '../steps.ts';
import { producerCheck, type Draft, type NoRows, type RowContext } from './context.ts';

/**
 * TRL stepwise supervision from a trajectory's step verdicts (see `labelSteps` for the exact
 * labelling): the prompt is the run's opening (context, goal, the user's first turns) as a
 * transcript, each later step one completion.
 */
export function prmRows(ctx: RowContext, answer: Answer): Draft[] | { none: NoRows } {
  const task = ctx.unit.task;
  if (task.kind !== 'trajectory' || answer.kind !== 'trajectory') return { none: 'kind_not_applicable' };
  const labelled = labelSteps(task, answer, ctx.options.prm);
  if ('none' in labelled) return labelled;
  return [
    {
      data: {
        prompt: transcript(trajectoryMessages(task, labelled.start, 'trl')),
        completions: labelled.steps.map((s) => stepText(s.step)),
        labels: labelled.steps.map((s) => s.label),
      },
      parts: labelled.steps.map((s) => s.step.id),
      produced: [producerCheck(ctx, task)],
    },
  ];
}
