import { describe, expect, it } from 'vitest';
import { firstCorrection, labelSteps } from '../../../shared/export/steps.ts';
import { judgeSteps, trajectoryTask, type Verdict } from '../../support/export-units.ts';

const task = trajectoryTask('t1'); // s1 user turn (the prompt), then s2 thought, s3 call, s4 result, s5, s6 assistant
const label = (verdicts: Verdict[], first: string | null, o: Partial<{ unnecessary: boolean; afterFirstError: 'drop' | 'false' }> = {}) => {
  const r = labelSteps(task, judgeSteps(task, verdicts, first) as never, { unnecessary: true, afterFirstError: 'drop', ...o });
  return 'none' in r ? r : { ids: r.steps.map((s) => s.step.id), labels: r.steps.map((s) => s.label), firstError: r.firstError };
};

describe('step verdicts to process labels', () => {
  it('good → true, error → false; the opening user turn is the prompt; steps after the first error are dropped', () => {
    expect(label([null, 'good', 'good', 'good', 'error', 'good'], 's5')).toEqual({ ids: ['s2', 's3', 's4', 's5'], labels: [true, true, true, false], firstError: 4 });
  });

  it('or, asked to, labels every step after the first error false (TRL\'s own example does this)', () => {
    expect(label(['good', 'good', 'error', 'good', 'good', 'good'], 's3', { afterFirstError: 'false' })).toEqual({ ids: ['s2', 's3', 's4', 's5', 's6'], labels: [true, false, false, false, false], firstError: 2 });
  });

  it('unsafe is false; unnecessary is true by default and false when asked, starting the cascade then', () => {
    expect(label(['good', 'good', 'unsafe', 'good', 'good', 'good'], null)).toMatchObject({ labels: [true, false], firstError: 2 });
    expect(label(['good', 'unnecessary', 'good', 'good', 'good', 'good'], null)).toEqual({ ids: ['s2', 's3', 's4', 's5', 's6'], labels: [true, true, true, true, true], firstError: null });
    expect(label(['good', 'unnecessary', 'good', 'good', 'good', 'good'], null, { unnecessary: false })).toEqual({ ids: ['s2'], labels: [false], firstError: 1 });
  });

  it('the marked first error is false whatever its verdict, and the earlier of it and the first error verdict wins', () => {
    expect(label(['good', 'good', 'good', 'good', 'good', 'good'], 's4')).toMatchObject({ ids: ['s2', 's3', 's4'], labels: [true, true, false] });
    expect(label(['good', 'good', 'error', 'good', 'good', 'good'], 's5')).toMatchObject({ ids: ['s2', 's3'], labels: [true, false] });
  });

  it('gives no labels for a run with an unjudged step, a first error in the prompt, or nothing after the prompt', () => {
    expect(label(['good', 'good', null, 'good', 'good', 'good'], null)).toEqual({ none: 'unlabelled_steps' });
    expect(label(['good', 'good', 'good', 'good', 'good', 'good'], 's1')).toEqual({ none: 'first_error_in_prompt' });
    const onlyUser = { ...task, steps: [task.steps[0]!] };
    expect(labelSteps(onlyUser, judgeSteps(onlyUser, ['good'], null) as never, { unnecessary: true, afterFirstError: 'drop' })).toEqual({ none: 'no_agent_steps' });
  });
});

describe('the correction that can train a model', () => {
  it('is the first error step, written by the agent, with a corrected text', () => {
    expect(firstCorrection(task, judgeSteps(task, ['good', 'good', 'good', 'good', 'error', 'good'], 's5', { s5: 'Keep 5 mg.', s6: 'ignored' }) as never)).toEqual({ index: 4, corrected: 'Keep 5 mg.' });
    expect(firstCorrection(task, judgeSteps(task, ['good', 'good', 'good', 'good', 'error', 'good'], 's5') as never)).toEqual({ none: 'no_correction' });
    expect(firstCorrection(task, judgeSteps(task, ['good', 'good', 'good', 'good', 'good', 'good'], null) as never)).toEqual({ none: 'no_error' });
    // A tool result is the world's answer, not the agent's: there is nothing to train.
    expect(firstCorrection(task, judgeSteps(task, ['good', 'good', 'good', 'error', 'good', 'good'], 's4', { s4: 'x' }) as never)).toEqual({ none: 'not_agent_step' });
  });
});
