import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../../shared/domain/index.ts';
import { decideBatch, type ChainHead } from '../../../shared/sync/chain.ts';

const h = (c: string) => c.repeat(64);
const start: ChainHead = { lastSeq: 0, lastHash: GENESIS_HASH };
const afterTwo: ChainHead = { lastSeq: 2, lastHash: h('b') };

describe('decideBatch: the one chain rule of the server storages and the reviewer workstation', () => {
  it('accepts seq 1 chained on the genesis hash, and seq last + 1 chained on the last hash', () => {
    expect(decideBatch(start, null, { seq: 1, prevHash: GENESIS_HASH, hash: h('a') })).toEqual({ kind: 'accept' });
    expect(decideBatch(afterTwo, null, { seq: 3, prevHash: h('b'), hash: h('c') })).toEqual({ kind: 'accept' });
  });

  it('calls the identical bytes for a held seq a duplicate, and other bytes a conflict naming the held hash', () => {
    expect(decideBatch(afterTwo, h('b'), { seq: 2, prevHash: h('a'), hash: h('b') })).toEqual({ kind: 'duplicate' });
    expect(decideBatch(afterTwo, h('b'), { seq: 2, prevHash: h('a'), hash: h('x') })).toEqual({ kind: 'conflict', existingHash: h('b') });
  });

  it('judges a held seq by its bytes alone: a replay of an old batch is a duplicate even when its prevHash is not the head', () => {
    expect(decideBatch(afterTwo, h('a'), { seq: 1, prevHash: GENESIS_HASH, hash: h('a') })).toEqual({ kind: 'duplicate' });
  });

  it('refuses a gap ahead with the seq to send next', () => {
    expect(decideBatch(afterTwo, null, { seq: 5, prevHash: h('d'), hash: h('e') })).toEqual({ kind: 'gap', expectedSeq: 3 });
    expect(decideBatch(start, null, { seq: 2, prevHash: h('a'), hash: h('b') })).toEqual({ kind: 'gap', expectedSeq: 1 });
  });

  it('refuses a seq behind the head that is not held as a gap too (never silently accepted)', () => {
    expect(decideBatch(afterTwo, null, { seq: 1, prevHash: GENESIS_HASH, hash: h('z') })).toEqual({ kind: 'gap', expectedSeq: 3 });
  });

  it('refuses the next seq chained on another batch, naming the hash it should follow', () => {
    expect(decideBatch(afterTwo, null, { seq: 3, prevHash: h('x'), hash: h('c') })).toEqual({ kind: 'chain_mismatch', expectedPrevHash: h('b') });
    expect(decideBatch(start, null, { seq: 1, prevHash: h('x'), hash: h('a') })).toEqual({ kind: 'chain_mismatch', expectedPrevHash: GENESIS_HASH });
  });

  it('replayed over a whole chain, accepts each batch once and nothing out of order', () => {
    const chain = [1, 2, 3, 4, 5].map((seq) => ({ seq, prevHash: seq === 1 ? GENESIS_HASH : h(String(seq - 1)), hash: h(String(seq)) }));
    const held = new Map<number, string>();
    let head: ChainHead = start;
    const offers = [chain[1]!, chain[0]!, chain[0]!, chain[2]!, chain[4]!, chain[1]!, chain[3]!, chain[4]!];
    const kinds = offers.map((b) => {
      const d = decideBatch(head, held.get(b.seq) ?? null, b);
      if (d.kind === 'accept') {
        held.set(b.seq, b.hash);
        head = { lastSeq: b.seq, lastHash: b.hash };
      }
      return d.kind;
    });
    expect(kinds).toEqual(['gap', 'accept', 'duplicate', 'gap', 'gap', 'accept', 'gap', 'gap']);
    expect(head).toEqual({ lastSeq: 2, lastHash: h('2') });
  });
});
