import { z } from 'zod';
import { Id, TaskKind } from './common.ts';

const LikertPoint = z.strictObject({ value: z.number().int(), label: z.string().min(1) });

export const Scale = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('likert'),
    points: z.array(LikertPoint).min(2, 'a Likert scale needs at least two labelled points'),
  }),
  z.strictObject({
    type: z.literal('binary'),
    trueLabel: z.string().min(1).default('Yes'),
    falseLabel: z.string().min(1).default('No'),
  }),
  z.strictObject({
    type: z.literal('categorical'),
    options: z
      .array(z.strictObject({ value: Id, label: z.string().min(1) }))
      .min(2, 'a categorical scale needs at least two options'),
  }),
]);
export type Scale = z.infer<typeof Scale>;

export const Criterion = z.strictObject({
  id: Id,
  label: z.string().min(1),
  description: z.string().optional(),
  /** Heading text of the guidelines section that explains this criterion. */
  guidelineSection: z.string().optional(),
  appliesTo: z.array(TaskKind).min(1).default(['compare', 'exemplar', 'trajectory']),
  required: z.boolean().default(false),
  scale: Scale,
});
export type Criterion = z.infer<typeof Criterion>;

export const Rubric = z
  .strictObject({ criteria: z.array(Criterion) })
  .superRefine((rubric, ctx) => {
    const seen = new Set<string>();
    rubric.criteria.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'id'], message: `duplicate criterion id "${c.id}"` });
      seen.add(c.id);
    });
  });
export type Rubric = z.infer<typeof Rubric>;

/** A score value as stored: Likert point value, binary boolean, or categorical option value. */
export const ScoreValue = z.union([z.number().int(), z.boolean(), z.string()]);
export type ScoreValue = z.infer<typeof ScoreValue>;

export function scoreFits(scale: Scale, value: ScoreValue): boolean {
  switch (scale.type) {
    case 'likert':
      return typeof value === 'number' && scale.points.some((p) => p.value === value);
    case 'binary':
      return typeof value === 'boolean';
    case 'categorical':
      return typeof value === 'string' && scale.options.some((o) => o.value === value);
  }
}

export function criteriaFor(rubric: Rubric, kind: TaskKind): Criterion[] {
  return rubric.criteria.filter((c) => c.appliesTo.includes(kind));
}
