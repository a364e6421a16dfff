import { describe, expect, it } from 'vitest';
import { displayOrder } from '../../electron/core/queue/display-order.ts';

describe('blinded display order', () => {
  const ids = ['r1', 'r2', 'r3', 'r4'];
  it('is stable for the same annotator and task', () => {
    expect(displayOrder(ids, 'u1', 'b', 't')).toEqual(displayOrder(ids, 'u1', 'b', 't'));
  });
  it('is a permutation of the responses', () => {
    expect([...displayOrder(ids, 'u1', 'b', 't')].sort()).toEqual(ids);
  });
  it('differs across annotators, and every response leads for someone (no position bias)', () => {
    const firsts = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const first = displayOrder(ids, `user-${i}`, 'b', 't')[0]!;
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    for (const id of ids) expect(firsts.get(id) ?? 0).toBeGreaterThan(60);
  });
});
