import type { Answer } from '../../domain/index.ts';
import { assistant, contextMessages, textCompletion, textPrompt } from '../messages.ts';
import type { ModelCheck } from '../models.ts';
import { unpairedLabels } from '../pairs.ts';
import type { TrlMessage } from '../schemas.ts';
import { producerCheck, responseCheck, type Draft, type NoRows, type RowContext } from './context.ts';

/**
 * Unpaired labels: a compare answer's top group desirable and every other response not ("both
 * unacceptable": none desirable); an exemplar's correction desirable and its draft not (a draft
 * confirmed unchanged is one desirable row).
 */
export function ktoRows(conversational: boolean) {
  const row = (prompt: TrlMessage[], text: string, label: boolean, parts: string[], produced: ModelCheck[]): Draft => ({
    data: conversational ? { prompt, completion: [assistant(text)], label } : { prompt: textPrompt(prompt), completion: textCompletion(text), label },
    parts,
    produced,
  });
  return (ctx: RowContext, answer: Answer): Draft[] | { none: NoRows } => {
    const task = ctx.unit.task;
    if (task.kind === 'compare' && answer.kind === 'compare') {
      const r = unpairedLabels(answer, task.responses.map((x) => x.id));
      if ('none' in r) return r;
      const prompt = contextMessages(task.context);
      const content = new Map(task.responses.map((x) => [x.id, x.content]));
      return r.labels.map(([id, label]) => row(prompt, content.get(id)!, label, [id], [responseCheck(ctx, task, id)]));
    }
    if (task.kind === 'exemplar' && answer.kind === 'exemplar') {
      if (answer.corrected.trim() === '') return { none: 'no_correction' };
      const prompt = contextMessages(task.context);
      const draft = producerCheck(ctx, task);
      if (answer.corrected.trim() === task.draft.trim()) return answer.confirmedUnchanged ? [row(prompt, task.draft, true, ['draft'], [draft])] : { none: 'unchanged' };
      return [row(prompt, answer.corrected, true, ['corrected'], []), row(prompt, task.draft, false, ['draft'], [draft])];
    }
    return { none: 'kind_not_applicable' };
  };
}
