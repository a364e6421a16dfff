import { describe, expect, it } from 'vitest';
import type { ReviewTaskView } from '../../../shared/contract/index.ts';
import { fieldLabel, fieldList } from '../../../renderer/src/views/review/remergeFields.ts';

const bundle = { rubric: { criteria: [{ id: 'accuracy', label: 'Accuracy' }, { id: 'safe', label: 'Safe to follow' }] } } as unknown as Parameters<typeof fieldLabel>[1];
const compare = { kind: 'compare', responses: [{ id: 'r1' }, { id: 'r2' }] } as unknown as ReviewTaskView['task'];
const trajectory = { kind: 'trajectory', steps: [{ id: 'a' }, { id: 'b' }] } as unknown as ReviewTaskView['task'];

describe('re-merge field words', () => {
  it('name fields as the side-by-side table does, by response and step position', () => {
    expect(fieldLabel('scores.r2.safe', bundle, compare)).toBe('Response 2 · Safe to follow');
    expect(fieldLabel('preference', bundle, compare)).toBe('Preference');
    expect(fieldLabel('steps.b', bundle, trajectory)).toBe('Step 2');
    expect(fieldLabel('scores.accuracy', bundle, trajectory)).toBe('Accuracy');
    expect(fieldLabel('draftScores.accuracy', bundle, trajectory)).toBe('Accuracy');
  });
  it('show an unknown path as it is, and an empty list as none', () => {
    expect(fieldLabel('scores.r9.novel', bundle, compare)).toBe('r9 · novel');
    expect(fieldLabel('mystery', bundle, compare)).toBe('mystery');
    expect(fieldList([], bundle, compare)).toBe('none');
    expect(fieldList(['ranking', 'scores.r1.accuracy'], bundle, compare)).toBe('Ranking, Response 1 · Accuracy');
  });
});
