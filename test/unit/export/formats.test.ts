import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExportOptions, convertUnit, fullRow, orderOf, selectUnit, type ExportOptionsInput, type ExportUnit, type RowFormat } from '../../../shared/export/index.ts';
import type { Task } from '../../../shared/domain/index.ts';
import { compareTask, correct, exemplarTask, judgeSteps, prefer, trajectoryTask, unit } from '../../support/export-units.ts';
import { schemaProblems } from '../../support/schema-check.ts';

/**
 * One pinned example per format, compared field by field with the example lines of the
 * documentation each shape comes from, and every line of a varied corpus validated against the
 * committed JSON Schema of its format.
 */

const TRL_FORMATS = 'https://huggingface.co/docs/trl/dataset_formats (huggingface/trl docs/source/dataset_formats.md)';
const OPENAI_DPO = 'https://developers.openai.com/api/docs/guides/direct-preference-optimization';
const OPENAI_SFT = 'https://developers.openai.com/docs/guides/distillation (chat format); docs.rs openai-client-base ChatCompletionRequestToolMessage / ChatCompletionMessageToolCall';

const opts = (o: ExportOptionsInput = {}) => ExportOptions.parse(o);
const lines = (u: ExportUnit, format: RowFormat, o: ExportOptionsInput = {}) => convertUnit(u, format, opts(o)).converted.rows.map((r) => r.line);
const withoutMetadata = (l: Record<string, unknown>) => {
  const { metadata: _m, ...rest } = l;
  return rest;
};

const sky = compareTask('sky', 2, {
  context: [{ role: 'user', content: 'What color is the sky?' }],
  responses: [
    { id: 'blue', content: 'It is blue.' },
    { id: 'green', content: 'It is green.' },
  ],
});
const skyUnit = unit(sky, { annotations: [{ who: 'a', answer: prefer('blue') }], adjudicate: prefer('blue') });

describe(`TRL shapes, field by field against ${TRL_FORMATS}`, () => {
  it('preference, conversational: {"prompt":[user], "chosen":[assistant], "rejected":[assistant]}', () => {
    const [line] = lines(skyUnit, 'dpo', { conversational: true });
    expect(withoutMetadata(line!)).toEqual({
      prompt: [{ role: 'user', content: 'What color is the sky?' }],
      chosen: [{ role: 'assistant', content: 'It is blue.' }],
      rejected: [{ role: 'assistant', content: 'It is green.' }],
    });
  });

  it('preference, standard: string prompt, chosen and rejected, so prompt + chosen reads as the dialogue', () => {
    const [line] = lines(skyUnit, 'dpo');
    const l = withoutMetadata(line!) as { prompt: string; chosen: string; rejected: string };
    // The doc's example is {"prompt": "The sky is", "chosen": " blue.", "rejected": " green."}: the same keys, strings, and a completion that continues the prompt.
    expect(Object.keys(l).sort()).toEqual(['chosen', 'prompt', 'rejected']);
    expect(l.prompt + l.chosen).toBe('User: What color is the sky?\n\nAssistant: It is blue.');
    expect(l.rejected).toBe(' It is green.');
  });

  it('unpaired preference, conversational: {"prompt":[user], "completion":[assistant], "label": false}', () => {
    const rows = lines(skyUnit, 'kto', { conversational: true }).map(withoutMetadata);
    expect(rows).toContainEqual({ prompt: [{ role: 'user', content: 'What color is the sky?' }], completion: [{ role: 'assistant', content: 'It is green.' }], label: false });
    expect(rows).toContainEqual({ prompt: [{ role: 'user', content: 'What color is the sky?' }], completion: [{ role: 'assistant', content: 'It is blue.' }], label: true });
    const [standard] = lines(skyUnit, 'kto');
    expect(typeof standard!.prompt).toBe('string');
    expect(typeof standard!.completion).toBe('string');
    expect(typeof standard!.label).toBe('boolean');
  });

  it('language modeling, conversational: {"messages":[user, assistant]} from an exemplar', () => {
    const e: Task = { id: 'e-sky', kind: 'exemplar', context: [{ role: 'user', content: 'What color is the sky?' }], draft: 'It is green.' };
    const [line] = lines(unit(e, { annotations: [{ who: 'a', answer: correct('It is blue.') }], adjudicate: correct('It is blue.') }), 'sft');
    expect(withoutMetadata(line!)).toEqual({ messages: [{ role: 'user', content: 'What color is the sky?' }, { role: 'assistant', content: 'It is blue.' }] });
  });

  it('stepwise supervision: {"prompt", "completions", "labels"}, TRL\'s own example line rebuilt from step verdicts', () => {
    const t: Task = {
      id: 'numbers',
      kind: 'trajectory',
      goal: 'Compare two numbers.',
      steps: [
        { id: 'q', type: 'message', role: 'user', content: 'Which number is larger, 9.8 or 9.11?' },
        { id: 'a1', type: 'message', role: 'assistant', content: 'The fractional part of 9.8 is 0.8.' },
        { id: 'a2', type: 'message', role: 'assistant', content: 'The fractional part of 9.11 is 0.11.' },
        { id: 'a3', type: 'message', role: 'assistant', content: '0.11 is greater than 0.8.' },
        { id: 'a4', type: 'message', role: 'assistant', content: 'Hence, 9.11 > 9.8.' },
      ],
    };
    const answer = judgeSteps(t, ['good', 'good', 'good', 'error', 'good'], 'a3');
    const u = unit(t, { annotations: [{ who: 'a', answer }], adjudicate: answer });
    // The documented example labels every step after the first error false: that is `afterFirstError: "false"`.
    const [line] = lines(u, 'prm', { prm: { afterFirstError: 'false' } });
    expect(withoutMetadata(line!)).toEqual({
      prompt: 'Which number is larger, 9.8 or 9.11?',
      completions: ['The fractional part of 9.8 is 0.8.', 'The fractional part of 9.11 is 0.11.', '0.11 is greater than 0.8.', 'Hence, 9.11 > 9.8.'],
      labels: [true, true, false, false],
    });
    // The default leaves out what follows the first error.
    expect(withoutMetadata(lines(u, 'prm')[0]!)).toMatchObject({ completions: ['The fractional part of 9.8 is 0.8.', 'The fractional part of 9.11 is 0.11.', '0.11 is greater than 0.8.'], labels: [true, true, false] });
  });

  it('tool calling: tool_calls with the arguments as JSON, a "tool" message with the tool name, and a tools column', () => {
    const t: Task = {
      id: 'lights',
      kind: 'trajectory',
      goal: 'Turn the lights on.',
      tools: [{ name: 'control_light', description: 'Switch a light.' }],
      steps: [
        { id: 's1', type: 'message', role: 'user', content: 'Turn on the living room lights.' },
        { id: 's2', type: 'tool_call', tool: 'control_light', arguments: { room: 'living room', state: 'on' }, callId: 'c1' },
        { id: 's3', type: 'tool_result', tool: 'control_light', callId: 'c1', content: 'The lights in the living room are now on.' },
        { id: 's4', type: 'message', role: 'assistant', content: 'Maybe done?' },
      ],
    };
    const answer = judgeSteps(t, ['good', 'good', 'good', 'error'], 's4', { s4: 'Done!' });
    const u = unit(t, { annotations: [{ who: 'a', answer }], adjudicate: answer });
    const [line] = lines(u, 'sft', { fromTrajectories: true });
    expect(withoutMetadata(line!)).toEqual({
      messages: [
        { role: 'user', content: 'Turn on the living room lights.' },
        { role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'control_light', arguments: { room: 'living room', state: 'on' } } }] },
        { role: 'tool', name: 'control_light', content: 'The lights in the living room are now on.' },
        { role: 'assistant', content: 'Done!' },
      ],
      tools: [{ type: 'function', function: { name: 'control_light', description: 'Switch a light.' } }],
    });

    // The same run in the chat-completions shape: a call id, arguments as a JSON string, and the result naming the call.
    const [chat] = lines(u, 'chat-sft', { fromTrajectories: true });
    expect((chat as { messages: unknown[] }).messages.slice(1, 3)).toEqual([
      { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'control_light', arguments: '{"room":"living room","state":"on"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'The lights in the living room are now on.' },
    ]);
    expect(chat).not.toHaveProperty('metadata');
  });
});

describe(`the chat-completions shapes, field by field against ${OPENAI_DPO} and ${OPENAI_SFT}`, () => {
  it('preference: {"input":{"messages"}, "preferred_output":[assistant], "non_preferred_output":[assistant]}, with no other keys', () => {
    const weather = compareTask('sf', 2, {
      context: [{ role: 'user', content: 'Hello, can you tell me how cold San Francisco is today?' }],
      responses: [
        { id: 'good', content: 'Today in San Francisco, it is not quite cold as expected. Morning clouds will give away to sunshine, with a high near 68°F (20°C) and a low around 57°F (14°C).' },
        { id: 'bad', content: 'It is not particularly cold in San Francisco today.' },
      ],
    });
    const documented = {
      input: { messages: [{ role: 'user', content: 'Hello, can you tell me how cold San Francisco is today?' }], tools: [], parallel_tool_calls: true },
      preferred_output: [{ role: 'assistant', content: 'Today in San Francisco, it is not quite cold as expected. Morning clouds will give away to sunshine, with a high near 68°F (20°C) and a low around 57°F (14°C).' }],
      non_preferred_output: [{ role: 'assistant', content: 'It is not particularly cold in San Francisco today.' }],
    };
    const [line] = lines(unit(weather, { annotations: [{ who: 'a', answer: prefer('good') }], adjudicate: prefer('good') }), 'chat-preference');
    // `tools` and `parallel_tool_calls` are optional in the guide; a line without tools leaves them out.
    const { tools: _t, parallel_tool_calls: _p, ...input } = documented.input;
    expect(line).toEqual({ ...documented, input });
  });

  it('supervised: {"messages":[system, user, assistant]}, with no other keys', () => {
    const e: Task = { id: 'e-sum', kind: 'exemplar', context: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: 'What is 2+2?' }], draft: 'Five.' };
    const [line] = lines(unit(e, { annotations: [{ who: 'a', answer: correct('4') }], adjudicate: correct('4') }), 'chat-sft');
    expect(line).toEqual({ messages: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: 'What is 2+2?' }, { role: 'assistant', content: '4' }] });
  });
});

describe('every line of every format matches its documented JSON Schema', () => {
  const t = trajectoryTask('t1');
  const corpus: ExportUnit[] = [
    unit(compareTask('c2'), { annotations: [{ who: 'a', answer: prefer('r1') }, { who: 'b', answer: prefer('r2') }], adjudicate: prefer('r2'), agreement: 0.1 }),
    unit(compareTask('c4', 4), { annotations: [{ who: 'a', answer: prefer('r3', [['r3'], ['r1', 'r4'], ['r2']]) }, { who: 'b', answer: prefer('tie', [['r1', 'r3'], ['r2', 'r4']]) }] }),
    unit(compareTask('cbu'), { annotations: [{ who: 'a', answer: prefer('both_unacceptable') }] }),
    unit(exemplarTask('e1'), { annotations: [{ who: 'a', answer: correct('Better text.') }, { who: 'b', answer: correct('A rough draft about e1.', true) }] }),
    unit(t, {
      bundle: { currentModel: { version: 'v3', earlier: [] } },
      annotations: [
        { who: 'a', answer: judgeSteps(t, ['good', 'good', 'good', 'good', 'error', 'good'], 's5', { s5: 'Keep 5 mg; weigh him first.' }) },
        { who: 'b', answer: judgeSteps(t, ['good', 'unnecessary', 'good', 'good', 'good', 'unsafe'], null) },
      ],
    }),
  ];
  const variants: ExportOptionsInput[] = [
    { policy: 'all', fromTrajectories: true },
    { policy: 'all', fromTrajectories: true, conversational: true, pairing: 'adjacent' },
    { policy: 'all', pairing: 'best-vs-rest', prm: { unnecessary: false, afterFirstError: 'false' } },
  ];
  const schemaName = (format: RowFormat, conversational: boolean) => `export-${format}${conversational && (format === 'dpo' || format === 'kto') ? '-conversational' : ''}`;

  it('sft, dpo (both forms), kto (both forms), prm, chat-sft, chat-preference and their side-file lines', () => {
    const seen = new Map<string, number>();
    for (const o of variants) {
      for (const format of ['sft', 'dpo', 'kto', 'prm', 'chat-sft', 'chat-preference'] as const) {
        for (const u of corpus) {
          for (const row of convertUnit(u, format, opts(o)).converted.rows) {
            const name = schemaName(format, o.conversational ?? false);
            expect(schemaProblems(name, row.line), `${name} ${u.task.id}`).toEqual([]);
            expect(schemaProblems('export-side', { line: 1, metadata: row.metadata })).toEqual([]);
            seen.set(name, (seen.get(name) ?? 0) + 1);
          }
        }
      }
    }
    // The corpus really exercises every schema.
    expect([...seen.keys()].sort()).toEqual(['export-chat-preference', 'export-chat-sft', 'export-dpo', 'export-dpo-conversational', 'export-kto', 'export-kto-conversational', 'export-prm', 'export-sft']);
  });

  it('full, for chosen and unchosen tasks alike', () => {
    for (const u of corpus) for (const policy of ['adjudicated', 'all'] as const) expect(schemaProblems('export-full', fullRow(u, selectUnit(u, opts({ policy })), opts({ policy }))), u.task.id).toEqual([]);
  });

  it('each row names the records it came from, all of them in its task, and the same sources give the same id', () => {
    const u = corpus[0]!;
    const records = new Set([...u.annotations.map((a) => `annotation:${a.id}`), `adjudication:${u.adjudication!.id}`]);
    const rows = convertUnit(u, 'dpo', opts()).converted.rows;
    for (const r of rows) for (const s of r.metadata.sources) expect(records.has(s)).toBe(true);
    expect(convertUnit(u, 'dpo', opts({ conversational: true })).converted.rows.map((r) => r.metadata.id)).toEqual(rows.map((r) => r.metadata.id));
    expect(convertUnit(u, 'kto', opts()).converted.rows.map((r) => r.metadata.id)).not.toContain(rows[0]!.metadata.id);
  });
});

describe('any compare answer, through every preference format', () => {
  const answerArb = fc.integer({ min: 2, max: 8 }).chain((n) => {
    const ids = Array.from({ length: n }, (_, i) => `r${i + 1}`);
    const ranking = fc.shuffledSubarray(ids, { minLength: n, maxLength: n }).chain((order) =>
      fc.array(fc.boolean(), { minLength: n - 1, maxLength: n - 1 }).map((cuts) => {
        const groups: string[][] = [[order[0]!]];
        cuts.forEach((cut, i) => (cut ? groups.push([order[i + 1]!]) : groups.at(-1)!.push(order[i + 1]!)));
        return groups;
      }),
    );
    return fc.record({ n: fc.constant(n), ranking: fc.option(ranking, { nil: null }), choice: fc.constantFrom('tie', 'both_unacceptable', 'cannot_judge', ...ids), pairing: fc.constantFrom('all-pairs' as const, 'adjacent' as const, 'best-vs-rest' as const) });
  });

  it('gives valid lines, never pairs two tied responses, and never pairs anything from "both unacceptable"', () => {
    fc.assert(
      fc.property(answerArb, ({ n, ranking, choice, pairing }) => {
        const task = compareTask('p', n);
        const answer = prefer(choice, ranking);
        const u = unit(task, { annotations: [{ who: 'a', answer }], adjudicate: answer });
        const order = orderOf(answer as never, task.responses.map((r) => r.id));
        const groupOf = new Map('groups' in order ? order.groups.flatMap((g, i) => g.map((id) => [id, i] as const)) : []);
        for (const format of ['dpo', 'chat-preference'] as const) {
          const rows = convertUnit(u, format, opts({ pairing })).converted.rows;
          if (choice === 'both_unacceptable' && rows.length > 0) return false;
          for (const r of rows) {
            if (schemaProblems(`export-${format}`, r.line).length > 0) return false;
            const [better, worse] = r.metadata.parts as [string, string];
            if (!(groupOf.get(better)! < groupOf.get(worse)!)) return false;
          }
        }
        return true;
      }),
      { numRuns: 150 },
    );
  });
});
