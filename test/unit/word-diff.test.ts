import { describe, expect, it } from 'vitest';
import { diffStats, diffWords, tokenize } from '../../shared/text/word-diff.ts';

const rebuild = (ops: ReturnType<typeof diffWords>, side: 'before' | 'after') =>
  ops.filter((o) => o.op === 'equal' || o.op === (side === 'before' ? 'delete' : 'insert')).flatMap((o) => o.words);

describe('word diff', () => {
  it('counts a corrected dose as one changed word', () => {
    expect(diffStats('Give 1 g four times daily.', 'Give 660 mg four times daily.')).toEqual({ wordsAdded: 0, wordsRemoved: 0, wordsChanged: 2 });
  });
  it('counts pure additions and removals', () => {
    expect(diffStats('Six years from breach.', 'Twelve years from breach, as the guarantee is a deed.')).toEqual({ wordsAdded: 7, wordsRemoved: 0, wordsChanged: 1 });
    expect(diffStats('Stop ibuprofen and dapagliflozin now.', 'Stop now.')).toEqual({ wordsAdded: 0, wordsRemoved: 3, wordsChanged: 0 });
  });
  it('finds nothing to count in identical text, whatever the whitespace', () => {
    expect(diffStats('a  b\nc', 'a b c')).toEqual({ wordsAdded: 0, wordsRemoved: 0, wordsChanged: 0 });
  });
  it('produces an edit script that rebuilds both texts', () => {
    const before = 'The claim is time-barred after six years under s.5 of the Limitation Act 1980.';
    const after = 'The claim is not time-barred: a deed gives twelve years under s.8 of the Limitation Act 1980.';
    const ops = diffWords(before, after);
    expect(rebuild(ops, 'before')).toEqual(tokenize(before));
    expect(rebuild(ops, 'after')).toEqual(tokenize(after));
  });
  it('handles empty sides', () => {
    expect(diffStats('', 'new text')).toEqual({ wordsAdded: 2, wordsRemoved: 0, wordsChanged: 0 });
    expect(diffStats('old text', '')).toEqual({ wordsAdded: 0, wordsRemoved: 2, wordsChanged: 0 });
  });
});
