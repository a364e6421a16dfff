import { describe, expect, it } from 'vitest';
import { Rubric, type Answer, type Task } from '../../shared/domain/index.ts';
import { disagreement, rankingDistance } from '../../shared/review/disagreement.ts';
import { pseudonyms } from '../../shared/review/pseudonyms.ts';
import { remerge } from '../../shared/review/remerge.ts';
import { isStale, latestAdjudication, openEscalations } from '../../shared/review/decision.ts';

const rubric = Rubric.parse({
  criteria: [
    { id: 'acc', label: 'Accuracy', appliesTo: ['compare', 'trajectory'], required: true, scale: { type: 'likert', points: [1, 2, 3, 4, 5].map((v) => ({ value: v, label: String(v) })) } },
    { id: 'safe', label: 'Safe', appliesTo: ['compare'], required: false, scale: { type: 'binary' } },
  ],
});
const compareTask = { id: 't', kind: 'compare', title: 'T', context: [{ role: 'user', content: 'q' }], responses: ['r1', 'r2', 'r3'].map((id) => ({ id, content: id })) } as Task;
const trajTask = { id: 'j', kind: 'trajectory', title: 'J', goal: 'g', steps: ['s1', 's2', 's3', 's4'].map((id) => ({ id, type: 'thought', content: id })) } as Task;
const cmp = (choice: string, strength: 1 | 2 | 3 | null, ranking: string[][] | null, acc: number, safe?: boolean): Answer => ({
  kind: 'compare',
  preference: { choice, strength },
  ranking,
  scores: { r1: { acc, ...(safe === undefined ? {} : { safe }) } },
  rationale: 'x',
});
const traj = (verdicts: string[], first: string | null, outcome: 'success' | 'failure'): Answer => ({
  kind: 'trajectory',
  steps: verdicts.map((v, i) => ({ stepId: `s${i + 1}`, verdict: v as 'good', errorTypes: [], note: '', corrected: null })),
  firstErrorStepId: first,
  outcome,
  scores: {},
  rationale: '',
});

describe('disagreement score', () => {
  it('is zero and unanimous when every decided field agrees, whatever the rationales', () => {
    const d = disagreement(compareTask, rubric, [cmp('r1', 2, [['r1'], ['r2'], ['r3']], 4), { ...cmp('r1', 2, [['r1'], ['r2'], ['r3']], 4), rationale: 'other words' } as Answer]);
    expect(d).toMatchObject({ score: 0, unanimous: true });
  });
  it('weighs opposite preferences over a strength or score difference', () => {
    const direction = disagreement(compareTask, rubric, [cmp('r1', 2, null, 4), cmp('r2', 2, null, 4)]);
    const strength = disagreement(compareTask, rubric, [cmp('r1', 1, null, 4), cmp('r1', 3, null, 4)]);
    const score = disagreement(compareTask, rubric, [cmp('r1', 2, null, 1), cmp('r1', 2, null, 5)]);
    expect(direction.parts.preference).toBe(1);
    expect(strength.parts.strength).toBe(1);
    expect(score.criteria).toEqual({ acc: 1 });
    expect(direction.score).toBeGreaterThan(strength.score);
    expect(direction.score).toBeGreaterThan(score.score);
    expect([direction, strength, score].every((d) => !d.unanimous)).toBe(true);
  });
  it('measures ranking distance with ties as half a disagreement', () => {
    expect(rankingDistance([['a'], ['b'], ['c']], [['c'], ['b'], ['a']])).toBe(1);
    expect(rankingDistance([['a'], ['b']], [['a', 'b']])).toBe(0.5);
    expect(rankingDistance([['a'], ['b'], ['c']], [['a'], ['b'], ['c']])).toBe(0);
  });
  it('counts step verdicts and the first-error step on trajectories', () => {
    const d = disagreement(trajTask, rubric, [traj(['good', 'error', 'good', 'good'], 's2', 'failure'), traj(['good', 'good', 'good', 'error'], 's4', 'failure')]);
    expect(d.parts.steps).toBe(0.5);
    expect(d.parts.firstError).toBe(0.5);
    expect(d.parts.outcome).toBe(0);
  });
});

describe('re-merge fills only undecided fields', () => {
  it('keeps what was decided, fills an undecided optional score by majority, flags what new work contests', () => {
    const decided = cmp('r1', 2, [['r1'], ['r2'], ['r3']], 4);
    const late = cmp('r2', 2, [['r2'], ['r1'], ['r3']], 4, false);
    const others = [cmp('r1', 2, [['r1'], ['r2'], ['r3']], 4, false), cmp('r1', 2, [['r1'], ['r2'], ['r3']], 4, false)];
    const r = remerge(decided, [...others, late], [late]);
    expect(r.filled).toEqual(['scores.r1.safe']);
    expect(r.contested.sort()).toEqual(['preference', 'ranking']);
    expect(r.answer).toEqual({ ...decided, scores: { r1: { acc: 4, safe: false } } });
  });
  it('proposes nothing where the current work has no majority', () => {
    const decided = cmp('r1', 2, null, 4);
    const r = remerge(decided, [cmp('r1', 2, null, 4, true), cmp('r1', 2, null, 4, false)], []);
    expect(r.filled).toEqual([]);
    expect(r.answer).toEqual(decided);
  });
});

describe('decisions in force, staleness, escalations', () => {
  const adj = (id: string, revision: number, taskHash = 'h', createdAt = '2026-01-01T00:00:00Z') => ({ id, revision, taskHash, createdAt, basedOn: ['a1', 'a2'], resolvesEscalations: [{ annotationId: 'a1', escalationId: 'e1' }] });
  it('picks the latest revision on the current content; offline twins by time, then id', () => {
    expect(latestAdjudication([adj('x', 1), adj('y', 2), adj('z', 3, 'other')], 'h')?.id).toBe('y');
    expect(latestAdjudication([adj('b', 2, 'h', '2026-01-02T00:00:00Z'), adj('a', 2, 'h', '2026-01-03T00:00:00Z')], 'h')?.id).toBe('a');
    expect(latestAdjudication([], 'h')).toBeNull();
  });
  it('is stale once latest work is not all in basedOn', () => {
    expect(isStale(adj('x', 1), [{ id: 'a1' }, { id: 'a2' }])).toBe(false);
    expect(isStale(adj('x', 1), [{ id: 'a1' }, { id: 'a3' }])).toBe(true);
  });
  it('resolves escalations by annotation id and escalation id together', () => {
    const content = (ids: string[]) => ({ answer: cmp('r1', 1, null, 1), assumptions: [], highlights: [], escalations: ids.map((id) => ({ id, reason: 'x', severity: 'low' as const, note: '', scope: { type: 'task' as const } })) });
    // Same escalation id "e1" on two annotations: only a1's is resolved.
    expect(openEscalations([{ id: 'a1', content: content(['e1']) }, { id: 'a2', content: content(['e1']) }], adj('x', 1))).toEqual({ open: 1, resolved: 1 });
  });
});

describe('pseudonyms', () => {
  it('are stable per task, independent of input order, and differ between tasks', () => {
    const ids = ['u1', 'u2', 'u3'];
    const a = pseudonyms('b', 't1', ids);
    expect(pseudonyms('b', 't1', [...ids].reverse())).toEqual(a);
    expect(new Set(a.values())).toEqual(new Set(['Annotator A', 'Annotator B', 'Annotator C']));
    const orders = new Set(['t1', 't2', 't3', 't4', 't5', 't6'].map((t) => ids.map((u) => pseudonyms('b', t, ids).get(u)).join()));
    expect(orders.size).toBeGreaterThan(1);
  });
});
