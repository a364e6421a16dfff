import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompareAnswer } from '../../../shared/domain/index.ts';
import { orderOf, pairsOf, unpairedLabels } from '../../../shared/export/pairs.ts';

const ids = ['r1', 'r2', 'r3', 'r4'];
const answer = (choice: string | null, ranking: string[][] | null = null): CompareAnswer => ({
  kind: 'compare',
  preference: choice === null ? null : { choice, strength: ['tie', 'both_unacceptable', 'cannot_judge'].includes(choice) ? null : 2 },
  ranking,
  scores: {},
  rationale: '',
});

describe('rankings to preference pairs', () => {
  const ranking = [['r2'], ['r1', 'r4'], ['r3']];

  it('all-pairs: every response against every response in a lower group; tied responses never pair', () => {
    expect(pairsOf(ranking, 'all-pairs')).toEqual([
      ['r2', 'r1'],
      ['r2', 'r4'],
      ['r2', 'r3'],
      ['r1', 'r3'],
      ['r4', 'r3'],
    ]);
  });

  it('adjacent: each group against the next only', () => {
    expect(pairsOf(ranking, 'adjacent')).toEqual([
      ['r2', 'r1'],
      ['r2', 'r4'],
      ['r1', 'r3'],
      ['r4', 'r3'],
    ]);
  });

  it('best-vs-rest: the top group against everything below it', () => {
    expect(pairsOf(ranking, 'best-vs-rest')).toEqual([
      ['r2', 'r1'],
      ['r2', 'r4'],
      ['r2', 'r3'],
    ]);
  });

  it('a pick without a ranking puts the pick above every other response, the others unordered', () => {
    const order = orderOf(answer('r3'), ids);
    expect(order).toEqual({ groups: [['r3'], ['r1', 'r2', 'r4']] });
    if ('groups' in order) for (const p of ['all-pairs', 'adjacent', 'best-vs-rest'] as const) expect(pairsOf(order.groups, p)).toHaveLength(3);
  });

  it('ties, "both unacceptable", "cannot judge" and no preference state no order, whatever the ranking says', () => {
    expect(orderOf(answer('tie'), ids)).toEqual({ none: 'tie' });
    expect(orderOf(answer('both_unacceptable', ranking.concat()), ['r1', 'r2', 'r3', 'r4'])).toEqual({ none: 'both_unacceptable' });
    expect(orderOf(answer('cannot_judge'), ids)).toEqual({ none: 'cannot_judge' });
    expect(orderOf(answer(null), ids)).toEqual({ none: 'no_preference' });
    // A tie at the top of a ranking still orders the rest.
    expect(orderOf(answer('tie', [['r1', 'r2'], ['r3', 'r4']]), ids)).toEqual({ groups: [['r1', 'r2'], ['r3', 'r4']] });
  });

  it('refuses a ranking that contradicts the preference, misses or repeats a response, or names an unknown one', () => {
    expect(orderOf(answer('r1', [['r2'], ['r1'], ['r3', 'r4']]), ids)).toEqual({ none: 'preference_disagrees_with_ranking' });
    expect(orderOf(answer('tie', [['r2'], ['r1'], ['r3', 'r4']]), ids)).toEqual({ none: 'preference_disagrees_with_ranking' });
    expect(orderOf(answer('r2', [['r2'], ['r1']]), ids)).toEqual({ none: 'invalid_ranking' });
    expect(orderOf(answer('r2', [['r2'], ['r1', 'r1'], ['r3', 'r4']]), ids)).toEqual({ none: 'invalid_ranking' });
    expect(orderOf(answer('r2', [['r2'], ['r1', 'r9'], ['r3', 'r4']]), ids)).toEqual({ none: 'invalid_ranking' });
    expect(orderOf(answer('r9'), ids)).toEqual({ none: 'unknown_response' });
  });

  it('never pairs two responses of one group, never pairs a response with itself, and all-pairs covers exactly the ordered pairs', () => {
    const groupsArb = fc
      .shuffledSubarray(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], { minLength: 2 })
      .chain((items) => fc.array(fc.integer({ min: 0, max: items.length - 1 }), { minLength: items.length, maxLength: items.length }).map((g) => ({ items, g })))
      .map(({ items, g }) => {
        const byGroup = new Map<number, string[]>();
        items.forEach((x, i) => byGroup.set(g[i]!, [...(byGroup.get(g[i]!) ?? []), x]));
        return [...byGroup.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
      });
    fc.assert(
      fc.property(groupsArb, fc.constantFrom('all-pairs' as const, 'adjacent' as const, 'best-vs-rest' as const), (groups, pairing) => {
        const groupOf = new Map(groups.flatMap((g, i) => g.map((x) => [x, i] as const)));
        const pairs = pairsOf(groups, pairing);
        for (const [a, b] of pairs) if (!(groupOf.get(a)! < groupOf.get(b)!)) return false;
        if (new Set(pairs.map((p) => p.join('>'))).size !== pairs.length) return false;
        if (pairing === 'all-pairs') {
          let expected = 0;
          for (let i = 0; i < groups.length; i++) for (let j = i + 1; j < groups.length; j++) expected += groups[i]!.length * groups[j]!.length;
          return pairs.length === expected;
        }
        return true;
      }),
    );
  });
});

describe('unpaired labels (kto)', () => {
  it('top group desirable, everything else not; both unacceptable: nothing desirable; a plain tie: no labels', () => {
    expect(unpairedLabels(answer('r2'), ['r1', 'r2'])).toEqual({ labels: [['r2', true], ['r1', false]] });
    expect(unpairedLabels(answer('tie', [['r1', 'r2'], ['r3', 'r4']]), ids)).toEqual({ labels: [['r1', true], ['r2', true], ['r3', false], ['r4', false]] });
    expect(unpairedLabels(answer('both_unacceptable'), ['r1', 'r2'])).toEqual({ labels: [['r1', false], ['r2', false]] });
    expect(unpairedLabels(answer('tie'), ['r1', 'r2'])).toEqual({ none: 'tie' });
    expect(unpairedLabels(answer('cannot_judge'), ['r1', 'r2'])).toEqual({ none: 'cannot_judge' });
  });
});
