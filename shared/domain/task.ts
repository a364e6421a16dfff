import { z } from 'zod';
import { Id, JsonValue } from './common.ts';
import { ScoreValue } from './rubric.ts';

export const Message = z.strictObject({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string(),
  name: z.string().optional(),
});
export type Message = z.infer<typeof Message>;

/**
 * Which model produced a response, draft or run: shown only when the bundle allows it
 * (annotators are blinded by default), carried into exports so preference data can be tied to
 * the model version it judged.
 */
const Producer = {
  model: z.string().optional(),
  /** The model's version or snapshot, compared with the bundle's `currentModel` (exports flag older ones). */
  modelVersion: z.string().min(1).max(200).optional(),
};

export const Response = z.strictObject({
  id: Id,
  content: z.string().min(1),
  ...Producer,
});
export type Response = z.infer<typeof Response>;

/**
 * An automated judge's answer to the task (an LLM grader's preference, scores or step verdicts),
 * carried so the dashboard can measure judge–expert agreement and the judge's own position bias.
 * Never shown to annotators: `publicTask` strips it, like gold. Every part is optional, since a
 * judge may grade only some of what the experts do.
 */
export const JudgeAnswer = z.strictObject({
  /** The judge's model name (and version), e.g. "grader-llm-2026-04". */
  model: z.string().min(1).max(200),
  /** Compare: the response id it preferred (or tie / both_unacceptable) and how strongly. */
  preference: z
    .strictObject({ choice: z.string().min(1), strength: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable().optional() })
    .optional(),
  /** Compare: the response ids in the order the judge was shown them (for its position bias). */
  displayOrder: z.array(Id).optional(),
  /** Compare with N > 2: groups of tied response ids, best first. */
  ranking: z.array(z.array(Id).min(1)).optional(),
  /** Scores by target (a response id, "draft", or "task" for a trajectory), then criterion id. */
  scores: z.record(z.string(), z.record(z.string(), ScoreValue)).optional(),
  /** Trajectory: a verdict per step id. */
  steps: z.record(z.string(), z.enum(['good', 'error', 'unnecessary', 'unsafe'])).optional(),
  firstErrorStepId: Id.nullable().optional(),
  outcome: z.enum(['success', 'partial', 'failure']).optional(),
});
export type JudgeAnswer = z.infer<typeof JudgeAnswer>;

const Base = {
  id: Id,
  title: z.string().max(200).optional(),
  tags: z.array(z.string()).optional(),
  metadata: z.record(z.string(), JsonValue).optional(),
  /** Automated judges' answers (one per model): never sent to the annotator's UI. */
  judges: z.array(JudgeAnswer).max(20).optional(),
};

/** Gold answers are used to calibrate annotators and are never sent to the annotator's UI. */
export const CompareGold = z.strictObject({
  preferred: z.string().min(1),
  note: z.string().optional(),
});

export const CompareTask = z
  .strictObject({
    ...Base,
    kind: z.literal('compare'),
    context: z.array(Message).min(1),
    responses: z.array(Response).min(2, 'a compare task needs at least 2 responses').max(8, 'a compare task takes at most 8 responses'),
    gold: CompareGold.optional(),
  })
  .superRefine((t, ctx) => {
    const ids = new Set<string>();
    t.responses.forEach((r, i) => {
      if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path: ['responses', i, 'id'], message: `duplicate response id "${r.id}"` });
      ids.add(r.id);
    });
    if (t.gold && !['tie', 'both_unacceptable'].includes(t.gold.preferred) && !ids.has(t.gold.preferred)) {
      ctx.addIssue({ code: 'custom', path: ['gold', 'preferred'], message: `gold names unknown response "${t.gold.preferred}"` });
    }
  });
export type CompareTask = z.infer<typeof CompareTask>;

export const ExemplarTask = z.strictObject({
  ...Base,
  kind: z.literal('exemplar'),
  context: z.array(Message).min(1),
  draft: z.string().min(1),
  ...Producer,
  gold: z.strictObject({ reference: z.string().min(1) }).optional(),
});
export type ExemplarTask = z.infer<typeof ExemplarTask>;

export const Step = z.discriminatedUnion('type', [
  z.strictObject({ id: Id, type: z.literal('message'), role: z.enum(['user', 'assistant', 'system']), content: z.string() }),
  z.strictObject({ id: Id, type: z.literal('thought'), content: z.string() }),
  z.strictObject({ id: Id, type: z.literal('tool_call'), tool: z.string().min(1), arguments: JsonValue, callId: z.string().optional() }),
  z.strictObject({
    id: Id,
    type: z.literal('tool_result'),
    tool: z.string().optional(),
    callId: z.string().optional(),
    content: z.string(),
    isError: z.boolean().optional(),
  }),
]);
export type Step = z.infer<typeof Step>;

export const TrajectoryTask = z
  .strictObject({
    ...Base,
    kind: z.literal('trajectory'),
    goal: z.string().min(1),
    context: z.array(Message).optional(),
    tools: z.array(z.strictObject({ name: z.string().min(1), description: z.string().optional() })).optional(),
    steps: z.array(Step).min(1, 'a trajectory needs at least one step'),
    /** The agent model that produced the run. */
    ...Producer,
    gold: z.strictObject({ firstErrorStepId: Id.nullable() }).optional(),
  })
  .superRefine((t, ctx) => {
    const ids = new Set<string>();
    t.steps.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id "${s.id}"` });
      ids.add(s.id);
    });
    const first = t.gold?.firstErrorStepId;
    if (first && !ids.has(first)) ctx.addIssue({ code: 'custom', path: ['gold', 'firstErrorStepId'], message: `unknown step "${first}"` });
  });
export type TrajectoryTask = z.infer<typeof TrajectoryTask>;

export const Task = z.discriminatedUnion('kind', [CompareTask, ExemplarTask, TrajectoryTask]);
export type Task = z.infer<typeof Task>;

/** What an annotator's UI may see of a task: gold and judges removed, model names removed unless allowed. */
export type PublicTask = Task extends infer T ? (T extends { gold?: unknown } ? Omit<T, 'gold' | 'judges'> : never) : never;

export function publicTask(task: Task, showModelNames: boolean): PublicTask {
  // Judges' answers are stripped like gold: an annotator who saw the grader's verdict would anchor on it.
  const { gold: _gold, judges: _judges, ...rest } = task;
  if (showModelNames) return rest;
  if (rest.kind === 'compare') {
    return { ...rest, responses: rest.responses.map(({ model: _model, modelVersion: _version, ...r }) => r) };
  }
  const { model: _model, modelVersion: _version, ...unnamed } = rest;
  return unnamed;
}
