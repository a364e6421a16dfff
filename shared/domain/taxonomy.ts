import { z } from 'zod';
import { Id, Severity } from './common.ts';

const Entry = z.strictObject({ id: Id, label: z.string().min(1), description: z.string().optional() });

export const Taxonomy = z
  .strictObject({
    errorTypes: z.array(Entry).default([]),
    assumptionCategories: z.array(Entry).default([]),
    escalationReasons: z.array(Entry.extend({ severity: Severity })).default([]),
    tags: z.array(z.string().min(1)).default([]),
  })
  .superRefine((t, ctx) => {
    for (const key of ['errorTypes', 'assumptionCategories', 'escalationReasons'] as const) {
      const seen = new Set<string>();
      t[key].forEach((e, i) => {
        if (seen.has(e.id)) ctx.addIssue({ code: 'custom', path: [key, i, 'id'], message: `duplicate id "${e.id}"` });
        seen.add(e.id);
      });
    }
  });
export type Taxonomy = z.infer<typeof Taxonomy>;
