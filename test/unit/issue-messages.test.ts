import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { Task } from '../../shared/domain/index.ts';
import { zodIssues } from '../../shared/contract/index.ts';
import { allowedMessage } from '../../shared/domain/issue-messages.ts';

const messages = (schema: z.ZodType, value: unknown): string[] => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a refusal');
  return zodIssues(r.error).map((i) => `${i.path}: ${i.message}`);
};

describe('validation messages name the allowed values', () => {
  it('an unknown task kind lists the kinds, and what was there', () => {
    expect(messages(Task, { id: 'clin-008', kind: 'rank', context: [] })).toEqual(['kind: must be one of "compare", "exemplar" or "trajectory" (got "rank")']);
  });

  it('a missing task kind says so rather than "Invalid input"', () => {
    expect(messages(Task, { id: 'clin-008' })).toEqual(['kind: must be one of "compare", "exemplar" or "trajectory" (got nothing)']);
  });

  it('a message role outside the enum lists the roles', () => {
    const [first] = messages(Task, { id: 't', kind: 'exemplar', context: [{ role: 'doctor', content: 'Q' }], draft: 'D' });
    expect(first).toBe('context[0].role: must be one of "system", "user", "assistant" or "tool" (got "doctor")');
  });

  it('a union of literals lists every literal', () => {
    expect(messages(z.union([z.literal(1), z.literal(2), z.literal('x')]), 3)).toEqual(['(root): must be one of 1, 2 or "x" (got 3)']);
  });

  it('a single literal reads as "must be"', () => {
    expect(messages(z.object({ format: z.literal('casebook.bundle/1') }), { format: 'casebook.bundle/2' })).toEqual([
      'format: must be "casebook.bundle/1" (got "casebook.bundle/2")',
    ]);
  });

  it('hostile input is shown short and never as a dump', () => {
    expect(allowedMessage(['a', 'b'], 'x'.repeat(500), true)).toBe(`must be one of "a" or "b" (got "${'x'.repeat(40)}…")`);
    expect(allowedMessage(['a'], { nested: { deep: 1 } }, true)).toBe('must be "a" (got an object)');
    expect(allowedMessage(['a'], [1, 2], true)).toBe('must be "a" (got a list)');
  });

  it('leaves other messages alone (types, custom refinements)', () => {
    expect(messages(z.object({ n: z.number() }), { n: 'one' })).toEqual(['n: Invalid input: expected number, received string']);
    expect(messages(z.string().min(1, 'Enter your name'), '')).toEqual(['(root): Enter your name']);
  });
});
