import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileAcceptor } from '../../shared/domain/accepts.ts';
import { Task } from '../../shared/domain/index.ts';

const jsonl = (rel: string) =>
  readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);

const all = [
  ...jsonl('../fixtures/bundle-src/minimal/tasks.jsonl'),
  ...jsonl('../../resources/samples/clinical/tasks.jsonl'),
  ...jsonl('../../resources/samples/legal/tasks.jsonl'),
];
/** The smallest two tasks of each kind keep the mutation sweep quick; all are checked for acceptance. */
const bySize = [...all].sort((a, b) => JSON.stringify(a).length - JSON.stringify(b).length);
const small = ['compare', 'exemplar', 'trajectory'].flatMap((k) => bySize.filter((t) => (t as { kind: string }).kind === k).slice(0, 2));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const clone = <T>(v: T): T => structuredClone(v);
const REPLACEMENTS: Json[] = [null, true, 0, 1.5, -1, '', 'x', 'bad id/with space', 'a'.repeat(201), [], [{}], {}, { extra: 1 }];

/** Every value reachable from `root`, as the path to it. */
function paths(root: Json, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (Array.isArray(root)) root.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (root && typeof root === 'object') for (const [k, v] of Object.entries(root)) out.push(...paths(v, [...at, k]));
  return out;
}

function edit(root: Json, path: (string | number)[], change: (parent: Json[] | Record<string, Json>, key: string | number) => void): Json {
  const copy = clone(root);
  let parent = copy as Json[] | Record<string, Json>;
  for (const k of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[k] as Json[] | Record<string, Json>;
  change(parent, path.at(-1)!);
  return copy;
}

/** Valid tasks bent in every way we can think of: wrong types, missing and extra keys, refinement breakers. */
function mutants(task: Json): Json[] {
  const out: Json[] = [];
  for (const p of paths(task)) {
    if (p.length === 0) continue;
    for (const r of REPLACEMENTS) out.push(edit(task, p, (parent, k) => ((parent as Record<string | number, Json>)[k] = clone(r))));
    out.push(edit(task, p, (parent, k) => (Array.isArray(parent) ? parent.splice(k as number, 1) : delete parent[k as string])));
    out.push(edit(task, p, (parent, k) => {
      const v = (parent as Record<string | number, Json>)[k];
      if (v && typeof v === 'object' && !Array.isArray(v)) (v as Record<string, Json>)['unexpected'] = 1;
      if (Array.isArray(v) && v.length > 0) v.push(clone(v[0]!));
    }));
  }
  out.push(edit(task, ['kind'], (parent) => ((parent as Record<string, Json>)['kind'] = 'exemplar')));
  out.push(edit(task, ['kind'], (parent) => ((parent as Record<string, Json>)['kind'] = 'trajectory')));
  return out;
}

describe('compileAcceptor', () => {
  const acceptor = compileAcceptor(Task);

  it('answers every task schema part itself, with no fallback to a full zod parse', () => {
    expect(acceptor.fallbacks).toEqual([]);
  });

  it('accepts every valid task of the fixtures and samples, of all three kinds', () => {
    expect(new Set(all.map((t) => (t as { kind: string }).kind))).toEqual(new Set(['compare', 'exemplar', 'trajectory']));
    for (const t of all) expect(acceptor.accepts(t), JSON.stringify(t).slice(0, 120)).toBe(true);
  });

  it('never accepts what zod refuses, over thousands of bent tasks', () => {
    let refused = 0;
    let checked = 0;
    for (const t of small) {
      for (const m of mutants(t as Json)) {
        checked++;
        const zod = Task.safeParse(m);
        const fast = acceptor.accepts(m);
        if (!zod.success) refused++;
        // Accepting means zod accepts, and would hand back the value unchanged.
        if (fast) {
          expect(zod.success, JSON.stringify(m).slice(0, 300)).toBe(true);
          expect(zod.data).toEqual(m);
        }
      }
    }
    expect(checked).toBeGreaterThan(2500);
    expect(refused).toBeGreaterThan(checked / 3);
  });

  it('runs refinements: duplicate response ids and a gold answer naming no response are refused', () => {
    const compare = all.find((t) => (t as { kind: string }).kind === 'compare') as { responses: { id: string }[] };
    const dup = clone(compare);
    dup.responses[1]!.id = dup.responses[0]!.id;
    expect(acceptor.accepts(dup)).toBe(false);
    expect(acceptor.accepts({ ...clone(compare), gold: { preferred: 'nobody' } })).toBe(false);
  });

  it('hands transforms and defaults to zod, and accepts only values zod would not change', () => {
    const s = z.strictObject({ n: z.number().default(1), t: z.string().transform((v) => v.trim()) });
    const a = compileAcceptor(s);
    expect([...a.fallbacks].sort()).toEqual(['default', 'pipe']);
    expect(a.accepts({ n: 2, t: 'x' })).toBe(true);
    expect(a.accepts({ n: 2, t: ' x ' })).toBe(false);
    expect(a.accepts({ t: 'x' })).toBe(false);
  });

  it('follows zod on records with odd keys and on recursive JSON values', () => {
    const a = compileAcceptor(z.record(z.string(), z.lazy(() => z.union([z.number(), z.array(z.number())]))));
    for (const v of [{ a: 1, b: [1, 2] }, { a: 'x' }, [], null, { constructor: 1 }, JSON.parse('{"__proto__": 5}'), { a: [1, 'x'] }]) {
      const zod = z.record(z.string(), z.lazy(() => z.union([z.number(), z.array(z.number())]))).safeParse(v);
      if (a.accepts(v)) expect(zod.success).toBe(true);
    }
    expect(a.accepts({ a: 1, b: [1, 2] })).toBe(true);
  });
});
