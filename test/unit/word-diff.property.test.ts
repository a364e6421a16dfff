import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffStats, diffWords, tokenize } from '../../shared/text/word-diff.ts';

/** Texts from a few words, so that random pairs share a lot (the case a diff is for). */
const text = fc
  .array(fc.tuple(fc.constantFrom('Give', 'give', '1', 'g', '660', 'mg', 'daily', 'deed', 's.5', "don't", '.', ',', '—', 'é'), fc.constantFrom(' ', ' ', '\n', '  ', '\t')), { maxLength: 30 })
  .map((parts) => parts.map(([w, s]) => w + s).join(''));
/** And any text at all, for the properties that must hold whatever the input. */
const anyText = fc.oneof(text, fc.string({ maxLength: 60, unit: 'grapheme' }));

const side = (ops: ReturnType<typeof diffWords>, which: 'before' | 'after') =>
  ops.filter((o) => o.op === 'equal' || o.op === (which === 'before' ? 'delete' : 'insert')).flatMap((o) => o.words);
const count = (ops: ReturnType<typeof diffWords>, op: 'insert' | 'delete') => ops.filter((o) => o.op === op).reduce((n, o) => n + o.words.length, 0);

/** Length of the longest common subsequence, by the textbook table: the reference for minimality. */
function lcs(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = x === b[j - 1] ? diag + 1 : Math.max(row[j]!, row[j - 1]!);
      diag = up;
    }
  }
  return row[b.length]!;
}

describe('word diff (properties)', () => {
  it('its edit script rebuilds both texts, word for word', () => {
    fc.assert(
      fc.property(anyText, anyText, (before, after) => {
        const ops = diffWords(before, after);
        expect(side(ops, 'before')).toEqual(tokenize(before));
        expect(side(ops, 'after')).toEqual(tokenize(after));
      }),
    );
  });

  it('is minimal: it deletes and inserts exactly the words outside a longest common subsequence', () => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        const a = tokenize(before);
        const b = tokenize(after);
        const ops = diffWords(before, after);
        const common = lcs(a, b);
        expect(count(ops, 'delete')).toBe(a.length - common);
        expect(count(ops, 'insert')).toBe(b.length - common);
      }),
    );
  });

  it('groups the script: no empty step, never two steps of the same kind in a row', () => {
    fc.assert(
      fc.property(anyText, anyText, (before, after) => {
        const ops = diffWords(before, after);
        for (const [i, o] of ops.entries()) {
          expect(o.words.length).toBeGreaterThan(0);
          if (i > 0) expect(o.op).not.toBe(ops[i - 1]!.op);
        }
      }),
    );
  });

  it('counts every inserted and deleted word once, as added, removed or changed', () => {
    fc.assert(
      fc.property(anyText, anyText, (before, after) => {
        const ops = diffWords(before, after);
        const s = diffStats(before, after);
        expect(s.wordsAdded + s.wordsChanged).toBe(count(ops, 'insert'));
        expect(s.wordsRemoved + s.wordsChanged).toBe(count(ops, 'delete'));
        expect(Math.min(s.wordsAdded, s.wordsRemoved, s.wordsChanged)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('finds nothing in a text compared with itself or with its white space changed, and mirrors when swapped', () => {
    fc.assert(
      fc.property(anyText, anyText, (t, other) => {
        expect(diffStats(t, t)).toEqual({ wordsAdded: 0, wordsRemoved: 0, wordsChanged: 0 });
        expect(diffStats(t, tokenize(t).join('\n'))).toEqual({ wordsAdded: 0, wordsRemoved: 0, wordsChanged: 0 });
        const there = diffWords(t, other);
        const back = diffWords(other, t);
        expect(count(there, 'insert')).toBe(count(back, 'delete'));
        expect(count(there, 'delete')).toBe(count(back, 'insert'));
      }),
    );
  });
});
