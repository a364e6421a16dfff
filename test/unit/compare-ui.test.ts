import { describe, expect, it } from 'vitest';
import { effectiveRanking, moveBefore, moveDown, moveUp, ranks, toggleTie } from '../../renderer/src/views/task/compare/ranking.ts';
import { findSection, searchSections, splitSections } from '../../renderer/src/components/guidelines/sections.ts';
import { locateQuote } from '../../renderer/src/components/highlights/marks.ts';

describe('ranking with ties', () => {
  const order = ['a', 'b', 'c', 'd'];
  it('starts in display order and stays a partition', () => {
    expect(effectiveRanking(null, order)).toEqual([['a'], ['b'], ['c'], ['d']]);
    expect(effectiveRanking([['x', 'b'], ['a']], order)).toEqual([['b'], ['a'], ['c'], ['d']]);
  });
  it('moves, ties and unties', () => {
    let r = effectiveRanking(null, order);
    r = moveUp(r, 'b');
    expect(r).toEqual([['b'], ['a'], ['c'], ['d']]);
    r = toggleTie(r, 'c');
    expect(r).toEqual([['b'], ['a', 'c'], ['d']]);
    expect([...ranks(r)]).toEqual([['b', 1], ['a', 2], ['c', 2], ['d', 4]]);
    expect(moveDown(r, 'a')).toEqual([['b'], ['c'], ['a'], ['d']]);
    expect(moveUp(r, 'c')).toEqual([['b'], ['c'], ['a'], ['d']]);
    expect(toggleTie(r, 'c')).toEqual([['b'], ['a'], ['c'], ['d']]);
    expect(moveBefore(r, 'd', 'b')).toEqual([['d'], ['b'], ['a', 'c']]);
    expect(moveUp([['a'], ['b']], 'a')).toEqual([['a'], ['b']]);
  });
});

describe('guidelines sections', () => {
  const md = '# Title\nintro\n## How to compare\ntext about ties\n```\n# not a heading\n```\n## Patient safety\nharm and risk\n';
  it('splits at headings outside code fences, searches and finds by name', () => {
    const s = splitSections(md);
    expect(s.map((x) => x.title)).toEqual(['Title', 'How to compare', 'Patient safety']);
    expect(searchSections(s, 'RISK harm').map((x) => x.title)).toEqual(['Patient safety']);
    expect(findSection(s, 'patient safety')?.id).toBe('gl-patient-safety');
    expect(findSection(s, 'compare')?.title).toBe('How to compare');
    expect(findSection(s, 'nothing like it')).toBeNull();
  });
});

describe('locating a rendered selection in the Markdown source', () => {
  it('allows Markdown syntax between the characters and picks the nearest match', () => {
    const src = 'Give **paracetamol 1 g** now. Later, paracetamol 1 g again.';
    const a = locateQuote(src, 'paracetamol 1 g now', 0);
    expect(a && src.slice(a.start, a.end)).toBe('paracetamol 1 g** now');
    const b = locateQuote(src, 'paracetamol 1 g', 0.9);
    expect(b?.start).toBe(src.lastIndexOf('paracetamol'));
    expect(locateQuote(src, 'ibuprofen', 0)).toBeNull();
  });
});
