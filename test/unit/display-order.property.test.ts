import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayOrder } from '../../electron/core/queue/display-order.ts';

const ids = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 0, maxLength: 8 });
const who = fc.string({ maxLength: 40 });

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

describe('blinded display order (properties)', () => {
  it('is stable: the same annotator, bundle and task always get the same order', () => {
    fc.assert(
      fc.property(ids, who, who, who, (r, a, b, t) => {
        const first = displayOrder(r, a, b, t);
        displayOrder(r, `${a}-other`, b, t);
        expect(displayOrder([...r], a, b, t)).toEqual(first);
      }),
    );
  });

  it('is a permutation of the responses: none lost, none repeated, the input untouched', () => {
    fc.assert(
      fc.property(ids, who, who, who, (r, a, b, t) => {
        const before = [...r];
        const order = displayOrder(r, a, b, t);
        expect([...order].sort()).toEqual([...r].sort());
        expect(r).toEqual(before);
      }),
    );
  });

  it('is uniform enough: over 6,000 annotators every order of three responses is about equally common', () => {
    const perms = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const key = displayOrder(['r1', 'r2', 'r3'], `annotator-${i}`, 'bundle', 'task').join(',');
      perms.set(key, (perms.get(key) ?? 0) + 1);
    }
    expect(perms.size).toBe(6);
    // 5 degrees of freedom: 20.5 is the 0.1% critical value. Deterministic inputs, so no flakes.
    expect(chiSquare([...perms.values()])).toBeLessThan(20.5);
  });

  it('is uniform enough: each of five responses is shown first, and in every position, about equally often', () => {
    const ids5 = ['a', 'b', 'c', 'd', 'e'];
    const at = ids5.map(() => ids5.map(() => 0));
    for (let i = 0; i < 5000; i++) {
      displayOrder(ids5, 'annotator', 'bundle', `task-${i}`).forEach((id, pos) => at[ids5.indexOf(id)]![pos]!++);
    }
    // 4 degrees of freedom per response: 18.5 is the 0.1% critical value.
    for (const row of at) expect(chiSquare(row)).toBeLessThan(18.5);
  });
});
