import { describe, expect, it } from 'vitest';
import type { Step, TrajectoryAnswer } from '../../../shared/domain/index.ts';
import type { BundleDetail } from '../../../shared/contract/index.ts';
import {
  firstUnlabelled,
  missingForTrajectory,
  progressOf,
  proposedFirstError,
  setVerdict,
  stepText,
  withLabel,
} from '../../../renderer/src/views/task/trajectory/trajectoryRules.ts';
import { describeScope, spanTargets } from '../../../renderer/src/views/task/notes/scope.ts';

const steps: Step[] = [
  { id: 'a', type: 'message', role: 'user', content: 'Do it' },
  { id: 'b', type: 'tool_call', tool: 'get_labs', arguments: { mrn: '1' }, callId: 'c1' },
  { id: 'c', type: 'tool_result', callId: 'c1', content: '{"ok":true}' },
  { id: 'd', type: 'message', role: 'assistant', content: 'Done' },
];
const empty = (): TrajectoryAnswer => ({ kind: 'trajectory', steps: [], firstErrorStepId: null, outcome: null, scores: {}, rationale: '' });
const label = (a: TrajectoryAnswer, id: string, v: 'good' | 'error' | 'unnecessary' | 'unsafe') => withLabel(a, steps, id, (l) => setVerdict(l, v));

describe('trajectory answers', () => {
  it('store one label per step, in task order, tied to the step id', () => {
    const a = label(empty(), 'c', 'error');
    expect(a.steps.map((l) => l.stepId)).toEqual(['a', 'b', 'c', 'd']);
    expect(a.steps[2]).toEqual({ stepId: 'c', verdict: 'error', errorTypes: [], note: '', corrected: null });
    expect(a.steps[0]?.verdict).toBeNull();
  });

  it('realigns labels saved in another order or for a subset of steps', () => {
    const a: TrajectoryAnswer = { ...empty(), steps: [{ stepId: 'd', verdict: 'good', errorTypes: [], note: 'x', corrected: null }] };
    const b = label(a, 'a', 'good');
    expect(b.steps.map((l) => `${l.stepId}:${l.verdict ?? '-'}`)).toEqual(['a:good', 'b:-', 'c:-', 'd:good']);
    expect(b.steps[3]?.note).toBe('x');
  });

  it('leaves the answer untouched for an unknown step', () => {
    const a = empty();
    expect(withLabel(a, steps, 'zz', (l) => setVerdict(l, 'good'))).toBe(a);
  });

  it('counts progress, finds the first unlabelled step and proposes the earliest error', () => {
    let a = label(empty(), 'a', 'good');
    a = label(a, 'c', 'error');
    a = label(a, 'd', 'error');
    expect(progressOf(a, steps)).toEqual({ labelled: 3, total: 4, counts: { good: 1, error: 2, unnecessary: 0, unsafe: 0 } });
    expect(firstUnlabelled(a, steps)).toBe(1);
    expect(firstUnlabelled(a, steps, 2)).toBe(1);
    expect(proposedFirstError(a, steps)).toBe('c');
    a = label(a, 'b', 'unsafe');
    expect(firstUnlabelled(a, steps)).toBe(-1);
    expect(proposedFirstError(a, steps)).toBe('c');
  });

  it('drops error types when a step is marked good', () => {
    const a = withLabel(label(empty(), 'b', 'error'), steps, 'b', (l) => ({ ...l, errorTypes: ['wrong_tool_argument'] }));
    expect(label(a, 'b', 'good').steps[1]?.errorTypes).toEqual([]);
  });

  it('lists what is missing before the core would accept a submission', () => {
    const bundle = {
      rationale: 'required',
      rubric: { criteria: [{ id: 'proc', label: 'Process', appliesTo: ['trajectory'], required: true, scale: { type: 'binary', trueLabel: 'Yes', falseLabel: 'No' } }] },
    } as unknown as BundleDetail;
    const ids = (a: TrajectoryAnswer) => missingForTrajectory(a, steps, bundle).map((m) => m.id);
    expect(ids(empty())).toEqual(['steps', 'outcome', 'score:proc', 'rationale']);
    let a = empty();
    for (const s of steps) a = label(a, s.id, 'good');
    expect(ids({ ...a, outcome: 'success', scores: { proc: true }, rationale: 'fine' })).toEqual([]);
  });
});

describe('scopes', () => {
  const task = { id: 't', kind: 'trajectory' as const, goal: 'Goal text', steps };
  it('name span targets by step id, with tool calls as indented JSON', () => {
    const targets = spanTargets(task);
    expect(targets.map((t) => t.target)).toEqual(['goal', 'step:a', 'step:b', 'step:c', 'step:d']);
    expect(targets[2]?.text).toBe(stepText(steps[1] as Step));
    expect(JSON.parse(targets[2]?.text ?? '')).toEqual({ tool: 'get_labs', arguments: { mrn: '1' } });
  });
  it('describe scopes by step number rather than id', () => {
    expect(describeScope({ type: 'step', stepId: 'c' }, task, [])).toBe('Step 3');
    expect(describeScope({ type: 'task' }, task, [])).toBe('Whole task');
    expect(describeScope({ type: 'span', target: 'step:b', start: 0, end: 4, quote: 'mrn' }, task, [])).toBe('“mrn” in step 2');
  });
});
