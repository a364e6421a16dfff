import { describe, expect, it } from 'vitest';
import { publicTask, Task } from '../../shared/domain/index.ts';

const tasks = [
  {
    id: 'c',
    kind: 'compare',
    context: [{ role: 'user', content: 'Q?' }],
    responses: [{ id: 'r1', content: 'A', model: 'm-a', modelVersion: 'm-a-2026-04' }, { id: 'r2', content: 'B', model: 'm-b' }],
    gold: { preferred: 'r1' },
    judges: [{ model: 'grader-x', preference: { choice: 'r2', strength: 3 }, displayOrder: ['r2', 'r1'] }],
  },
  { id: 'e', kind: 'exemplar', context: [{ role: 'user', content: 'Q?' }], draft: 'D', model: 'm-draft', modelVersion: 'm-draft-v7', gold: { reference: 'R' } },
  { id: 't', kind: 'trajectory', goal: 'G', steps: [{ id: 's1', type: 'thought', content: 'x' }], model: 'm-agent', modelVersion: 'm-agent-v3', gold: { firstErrorStepId: null }, judges: [{ model: 'grader-x', steps: { s1: 'error' }, firstErrorStepId: 's1' }] },
].map((t) => Task.parse(t));

describe('what an annotator sees of a task', () => {
  it('has no gold, and no model name or version on any response, draft or run unless the bundle shows model names', () => {
    for (const t of tasks) {
      const seen = JSON.stringify(publicTask(t, false));
      expect(seen, t.id).not.toMatch(/gold|judges|grader-x|m-a|m-b|m-draft|m-agent|modelVersion|"model"/);
    }
  });

  it('keeps names and versions when the bundle shows model names, and never gold', () => {
    expect(publicTask(tasks[0]!, true)).toMatchObject({ responses: [{ model: 'm-a', modelVersion: 'm-a-2026-04' }, { model: 'm-b' }] });
    expect(publicTask(tasks[1]!, true)).toMatchObject({ model: 'm-draft', modelVersion: 'm-draft-v7' });
    expect(publicTask(tasks[2]!, true)).toMatchObject({ model: 'm-agent', modelVersion: 'm-agent-v3' });
    for (const t of tasks) {
      expect(publicTask(t, true)).not.toHaveProperty('gold');
      // A judge's verdict would anchor the annotator: it is hidden even where model names are shown.
      expect(JSON.stringify(publicTask(t, true)), t.id).not.toMatch(/judges|grader-x/);
    }
  });
});
