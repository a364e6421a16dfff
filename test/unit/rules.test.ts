import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BundleSettings, Rubric, Task, Taxonomy, type AnnotationContent, type Answer, type CompareAnswer, type TrajectoryAnswer } from '../../shared/domain/index.ts';
import { adjudicationIssues, escalatedWithoutAnswer, submissionIssues, type RuleInput } from '../../shared/rules/index.ts';
import { MINIMAL_SRC } from '../helpers/workspace.ts';

const read = (f: string): unknown => JSON.parse(readFileSync(`${MINIMAL_SRC}/${f}`, 'utf8'));
const rubric = Rubric.parse(read('rubric.json'));
const taxonomy = Taxonomy.parse(read('taxonomy.json'));
const settings = BundleSettings.parse(read('bundle.json'));
const tasks = readFileSync(`${MINIMAL_SRC}/tasks.jsonl`, 'utf8').trim().split('\n').map((l) => Task.parse(JSON.parse(l)));
const compare2 = tasks.find((t) => t.kind === 'compare')!;
const trajectory = tasks.find((t) => t.kind === 'trajectory')!;
const exemplar = tasks.find((t) => t.kind === 'exemplar')!;
const compare3 = Task.parse({ ...compare2, id: 't-three', gold: undefined, responses: [...(compare2.kind === 'compare' ? compare2.responses : []), { id: 'r3', content: 'Ask a pharmacist.' }] });

const content = (answer: Answer, extra: Partial<AnnotationContent> = {}): AnnotationContent => ({ answer, assumptions: [], escalations: [], highlights: [], ...extra });
const input = (task: Task, c: AnnotationContent, extra: Partial<RuleInput> = {}): RuleInput => ({
  task,
  content: c,
  rubric,
  taxonomy,
  settings,
  displayOrder: task.kind === 'compare' ? task.responses.map((r) => r.id) : [],
  ...extra,
});
const codes = (i: RuleInput) => submissionIssues(i).map((x) => x.code);
const compare = (over: Partial<CompareAnswer> = {}): CompareAnswer => ({
  kind: 'compare',
  preference: { choice: 'r2', strength: 2 },
  ranking: null,
  scores: { r1: { accuracy: 2 }, r2: { accuracy: 5 }, r3: { accuracy: 3 } },
  rationale: 'r2 doses by weight.',
  ...over,
});
const escalation = { id: 'e1', reason: 'unsafe_advice', severity: 'critical' as const, note: 'Needs a pharmacist', scope: { type: 'task' as const } };

describe('shared submission rules: one set for the core and the UI', () => {
  it('requires a full ranking for more than two responses, agreeing with the best pick', () => {
    expect(codes(input(compare2, content(compare({ scores: { r1: { accuracy: 2 }, r2: { accuracy: 5 } } }))))).toEqual([]);
    expect(codes(input(compare3, content(compare())))).toEqual(['ranking']);
    expect(submissionIssues(input(compare3, content(compare({ ranking: [['r1'], ['r2'], ['r3']] }))))[0]!.message).toMatch(/does not put Response B \(your best pick\) alone at the top/);
    expect(codes(input(compare3, content(compare({ ranking: [['r2'], ['r1', 'r3']] }))))).toEqual([]);
    expect(codes(input(compare3, content(compare({ ranking: [['r2'], ['r1']] }))))).toEqual(['ranking']);
    // "Both unacceptable" needs no ranking.
    expect(codes(input(compare3, content(compare({ preference: { choice: 'both_unacceptable', strength: null } }))))).toEqual([]);
  });

  it('wants one label per step, in the order of the run', () => {
    const labels = (ids: string[]): TrajectoryAnswer => ({
      kind: 'trajectory',
      steps: ids.map((stepId) => ({ stepId, verdict: 'good', errorTypes: [], note: '', corrected: null })),
      firstErrorStepId: null,
      outcome: 'success',
      scores: {},
      rationale: 'fine',
    });
    expect(codes(input(trajectory, content(labels(['s1', 's2', 's3']))))).toEqual([]);
    expect(codes(input(trajectory, content(labels(['s1', 's3']))))).toEqual(['steps']);
    expect(submissionIssues(input(trajectory, content(labels(['s2', 's1', 's3']))))[0]).toMatchObject({ code: 'steps', message: expect.stringMatching(/order of the run/) });
    expect(codes(input(trajectory, content(labels(['s1', 's1', 's2', 's3']))))).toContain('steps');
  });

  it('encodes "escalate without an answer" once', () => {
    const cannot = compare({ preference: { choice: 'cannot_judge', strength: null }, scores: {}, rationale: '' });
    expect(escalatedWithoutAnswer({ answer: cannot, escalations: [escalation] })).toBe(true);
    expect(codes(input(compare2, content(cannot, { escalations: [escalation] })))).toEqual([]);
    expect(codes(input(compare2, content(cannot)))).toEqual(['escalation', 'rationale']);
    const emptyCorrection: Answer = { kind: 'exemplar', corrected: '', draftScores: {}, note: '', errorTypes: [], confirmedUnchanged: false, diffStats: null };
    expect(codes(input(exemplar, content(emptyCorrection, { escalations: [escalation] })))).toEqual([]);
    // A bundle that wants an answer even when escalating says so.
    const strict = { ...settings, escalation: { allowWithoutAnswer: false } };
    expect(codes(input(exemplar, content(emptyCorrection, { escalations: [escalation] }), { settings: strict }))).toEqual(['escalation', 'corrected']);
    // An escalation beside a real answer needs the whole answer.
    expect(codes(input(compare2, content(compare({ preference: { choice: 'r2', strength: null }, scores: {} }), { escalations: [escalation] })))).toEqual(['strength', 'score', 'score']);
  });

  it('holds an adjudication to a complete, final answer', () => {
    const base = { task: compare2, rubric, taxonomy, settings };
    expect(adjudicationIssues({ ...base, answer: compare({ scores: { r1: { accuracy: 2 }, r2: { accuracy: 5 } } }) })).toEqual([]);
    expect(adjudicationIssues({ ...base, answer: compare({ preference: { choice: 'cannot_judge', strength: null } }) }).map((i) => i.code)).toEqual(['preference']);
    expect(adjudicationIssues({ ...base, answer: compare({ scores: {}, rationale: '' }) }).map((i) => i.code)).toEqual(['score', 'score', 'rationale']);
  });
});
