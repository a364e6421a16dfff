import { describe, expect, it } from 'vitest';
import { ExportOptions, selectUnit, type ExportOptionsInput, type Selection } from '../../../shared/export/index.ts';
import { compareTask, correct, exemplarTask, hashOf, judgeSteps, prefer, trajectoryTask, unit } from '../../support/export-units.ts';

const opts = (o: ExportOptionsInput = {}) => ExportOptions.parse(o);
const sourcesOf = (s: Selection) => ('decided' in s ? s.decided.map((d) => ({ source: d.source, n: d.sources.length, choice: d.answer.kind === 'compare' ? d.answer.preference?.choice : undefined })) : s.excluded);

describe('which answer a task contributes', () => {
  const task = compareTask('c1', 2);
  const three = (a: string, b: string, c: string) => ({ annotations: [{ who: 'a', answer: prefer(a) }, { who: 'b', answer: prefer(b) }, { who: 'c', answer: prefer(c) }] });

  it('an adjudication wins under every policy, and names itself and the annotations it was based on', () => {
    const u = unit(task, { ...three('r1', 'r1', 'r2'), adjudicate: prefer('r2') });
    for (const policy of ['adjudicated', 'unanimous', 'majority', 'all'] as const) {
      const s = selectUnit(u, opts({ policy }));
      expect(sourcesOf(s), policy).toEqual([{ source: 'adjudication', n: 4, choice: 'r2' }]);
    }
    const s = selectUnit(u, opts());
    expect('decided' in s && s.decided[0]!.sources.filter((x) => x.startsWith('adjudication:'))).toHaveLength(1);
  });

  it('adjudicated: nothing without an adjudication', () => {
    expect(selectUnit(unit(task, three('r1', 'r1', 'r1')), opts())).toEqual({ excluded: 'not_adjudicated' });
  });

  it('unanimous: every annotator who answered agrees (two at least); strength does not matter', () => {
    const u = unit(task, { annotations: [{ who: 'a', answer: prefer('r1', null, 1) }, { who: 'b', answer: prefer('r1', null, 3) }] });
    expect(sourcesOf(selectUnit(u, opts({ policy: 'unanimous' })))).toEqual([{ source: 'unanimous', n: 2, choice: 'r1' }]);
    expect(selectUnit(unit(task, three('r1', 'r1', 'r2')), opts({ policy: 'unanimous' }))).toEqual({ excluded: 'no_agreement' });
    expect(selectUnit(unit(task, { annotations: [{ who: 'a', answer: prefer('r1') }] }), opts({ policy: 'unanimous' }))).toEqual({ excluded: 'too_few_answers' });
  });

  it('majority: more than half of those who answered; a split has no majority', () => {
    expect(sourcesOf(selectUnit(unit(task, three('r1', 'r2', 'r1')), opts({ policy: 'majority' })))).toEqual([{ source: 'majority', n: 2, choice: 'r1' }]);
    const split = unit(task, { annotations: [{ who: 'a', answer: prefer('r1') }, { who: 'b', answer: prefer('r2') }] });
    expect(selectUnit(split, opts({ policy: 'majority' }))).toEqual({ excluded: 'no_majority' });
    // "Cannot judge" is no vote: two of the three answered, and they agree.
    const abstain = unit(task, { annotations: [{ who: 'a', answer: prefer('r2') }, { who: 'b', answer: prefer('r2') }, { who: 'c', answer: prefer('cannot_judge') }] });
    expect(sourcesOf(selectUnit(abstain, opts({ policy: 'majority' })))).toEqual([{ source: 'majority', n: 2, choice: 'r2' }]);
  });

  it('all: every annotator on their own', () => {
    expect(sourcesOf(selectUnit(unit(task, three('r1', 'r2', 'tie')), opts({ policy: 'all' })))).toEqual([
      { source: 'annotation', n: 1, choice: expect.any(String) },
      { source: 'annotation', n: 1, choice: expect.any(String) },
      { source: 'annotation', n: 1, choice: expect.any(String) },
    ]);
  });

  it("uses only each annotator's latest submitted revision on the unit's task hash and allowed versions", () => {
    const u = unit(task, {
      annotations: [
        { who: 'a', answer: prefer('r2'), revision: 1 },
        { who: 'a', answer: prefer('r1'), revision: 2 },
        { who: 'b', answer: prefer('r1') },
        { who: 'c', answer: prefer('r2'), status: 'draft' },
        { who: 'd', answer: prefer('r2'), taskHash: hashOf(compareTask('other')) },
        { who: 'e', answer: prefer('r2'), bundleVersion: 2 },
      ],
    });
    expect(sourcesOf(selectUnit(u, opts({ policy: 'unanimous', filters: { versions: [1] } })))).toEqual([{ source: 'unanimous', n: 2, choice: 'r1' }]);
    expect(selectUnit(u, opts({ policy: 'unanimous' }))).toEqual({ excluded: 'no_agreement' });
  });

  it('ignores an adjudication of other content (another task hash) or of a version filtered out', () => {
    const u = unit(task, { ...three('r1', 'r1', 'r1'), adjudicate: prefer('r2') });
    const other = { ...u, adjudication: { ...u.adjudication!, taskHash: hashOf(compareTask('changed')) } };
    expect(sourcesOf(selectUnit(other, opts({ policy: 'majority' })))).toEqual([{ source: 'majority', n: 3, choice: 'r1' }]);
    expect(selectUnit(u, opts({ filters: { versions: [2] } }))).toEqual({ excluded: 'not_adjudicated' });
  });

  it('ignores an adjudication or annotation whose answer is for another kind of task', () => {
    const u = unit(task, { annotations: [{ who: 'a', answer: prefer('r1') }, { who: 'b', answer: prefer('r1') }, { who: 'c', answer: correct('not a compare answer') }], adjudicate: correct('nor this') });
    expect(sourcesOf(selectUnit(u, opts({ policy: 'unanimous' })))).toEqual([{ source: 'unanimous', n: 2, choice: 'r1' }]);
    expect(selectUnit(u, opts())).toEqual({ excluded: 'not_adjudicated' });
  });

  it('leaves out gold items and open escalations by default, and honours bundle, kind and agreement filters', () => {
    const base = { ...three('r1', 'r1', 'r1'), adjudicate: prefer('r1') };
    expect(selectUnit(unit(task, { ...base, gold: true }), opts())).toEqual({ excluded: 'gold' });
    expect('decided' in selectUnit(unit(task, { ...base, gold: true }), opts({ filters: { includeGold: true } }))).toBe(true);
    expect(selectUnit(unit(task, { ...base, open: 1 }), opts())).toEqual({ excluded: 'escalated' });
    expect('decided' in selectUnit(unit(task, { ...base, open: 1 }), opts({ filters: { includeEscalated: true } }))).toBe(true);
    expect(selectUnit(unit(task, base), opts({ filters: { bundles: ['other'] } }))).toEqual({ excluded: 'bundle' });
    expect(selectUnit(unit(task, base), opts({ filters: { kinds: ['exemplar'] } }))).toEqual({ excluded: 'kind' });
    expect(selectUnit(unit(task, { ...base, agreement: 0.4 }), opts({ filters: { minAgreement: 0.5 } }))).toEqual({ excluded: 'agreement' });
    expect(selectUnit(unit(task, { ...base, agreement: null }), opts({ filters: { minAgreement: 0.5 } }))).toEqual({ excluded: 'agreement' });
    expect('decided' in selectUnit(unit(task, { ...base, agreement: 0.5 }), opts({ filters: { minAgreement: 0.5 } }))).toBe(true);
  });

  it('exemplars agree on the exact corrected text; trajectories on every verdict after the opening turns and the first error', () => {
    const e = exemplarTask('e1');
    expect(sourcesOf(selectUnit(unit(e, { annotations: [{ who: 'a', answer: correct('Twelve years.') }, { who: 'b', answer: correct('Twelve years.') }] }), opts({ policy: 'unanimous' })))).toEqual([{ source: 'unanimous', n: 2, choice: undefined }]);
    expect(selectUnit(unit(e, { annotations: [{ who: 'a', answer: correct('Twelve years.') }, { who: 'b', answer: correct('12 years.') }] }), opts({ policy: 'unanimous' }))).toEqual({ excluded: 'no_agreement' });
    const t = trajectoryTask('t1');
    const v = ['good', 'good', 'good', 'good', 'error', 'good'] as const;
    const same = unit(t, { annotations: [{ who: 'a', answer: judgeSteps(t, [...v], 's5') }, { who: 'b', answer: judgeSteps(t, [null, ...v.slice(1)], 's5') }] });
    expect(sourcesOf(selectUnit(same, opts({ policy: 'unanimous' })))).toEqual([{ source: 'unanimous', n: 2, choice: undefined }]);
    const differ = unit(t, { annotations: [{ who: 'a', answer: judgeSteps(t, [...v], 's5') }, { who: 'b', answer: judgeSteps(t, [...v], 's6') }] });
    expect(selectUnit(differ, opts({ policy: 'unanimous' }))).toEqual({ excluded: 'no_agreement' });
  });
});
