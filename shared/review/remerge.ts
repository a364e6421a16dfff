import type { Answer, ScoreValue, StepLabel } from '../domain/index.ts';

/**
 * Re-merge after a decision: when more work arrives (a new annotator, or a revision), what the
 * reviewer already decided stays; only fields the decision left undecided (no value) are proposed
 * again, from the value most of the current work agrees on. Decided fields where new work
 * disagrees are reported as contested, never changed. Pure.
 */

export interface Remerge {
  answer: Answer;
  kept: string[];
  filled: string[];
  contested: string[];
}

/** The decidable leaves of an answer, by path; undefined or null means undecided. */
export function answerFields(a: Answer): Map<string, unknown> {
  const m = new Map<string, unknown>();
  const scores = (prefix: string, s: Record<string, ScoreValue>) => Object.entries(s).forEach(([k, v]) => m.set(`${prefix}.${k}`, v));
  if (a.kind === 'compare') {
    m.set('preference', a.preference);
    m.set('ranking', a.ranking);
    for (const [rid, s] of Object.entries(a.scores)) scores(`scores.${rid}`, s);
  } else if (a.kind === 'exemplar') {
    m.set('corrected', a.corrected.trim() === '' ? null : a.corrected);
    scores('draftScores', a.draftScores);
    m.set('errorTypes', a.errorTypes.length === 0 ? null : a.errorTypes);
  } else {
    for (const s of a.steps) m.set(`steps.${s.stepId}`, s.verdict === null ? null : s);
    m.set('firstErrorStepId', a.firstErrorStepId);
    m.set('outcome', a.outcome);
    scores('scores', a.scores);
  }
  return m;
}

function setField(a: Answer, path: string, v: unknown): Answer {
  const [head, k1, k2] = path.split('.');
  if (a.kind === 'compare') {
    if (path === 'preference') return { ...a, preference: v as typeof a.preference };
    if (path === 'ranking') return { ...a, ranking: v as typeof a.ranking };
    if (head === 'scores' && k1 && k2) return { ...a, scores: { ...a.scores, [k1]: { ...a.scores[k1], [k2]: v as ScoreValue } } };
  } else if (a.kind === 'exemplar') {
    if (path === 'corrected') return { ...a, corrected: v as string };
    if (path === 'errorTypes') return { ...a, errorTypes: v as string[] };
    if (head === 'draftScores' && k1) return { ...a, draftScores: { ...a.draftScores, [k1]: v as ScoreValue } };
  } else {
    if (path === 'firstErrorStepId') return { ...a, firstErrorStepId: v as string | null };
    if (path === 'outcome') return { ...a, outcome: v as typeof a.outcome };
    if (head === 'scores' && k1) return { ...a, scores: { ...a.scores, [k1]: v as ScoreValue } };
    if (head === 'steps' && k1) {
      const label = v as StepLabel;
      const has = a.steps.some((s) => s.stepId === k1);
      return { ...a, steps: has ? a.steps.map((s) => (s.stepId === k1 ? label : s)) : [...a.steps, label] };
    }
  }
  return a;
}

const key = (v: unknown) => JSON.stringify(v);
const decided = (v: unknown) => v !== undefined && v !== null;

/**
 * @param decision the answer in force
 * @param current every annotator's latest answer now (including work the decision did not see)
 * @param unseen the subset of `current` the decision was not based on
 */
export function remerge(decision: Answer, current: readonly Answer[], unseen: readonly Answer[]): Remerge {
  const mine = answerFields(decision);
  const theirs = current.filter((a) => a.kind === decision.kind).map(answerFields);
  const fresh = unseen.filter((a) => a.kind === decision.kind).map(answerFields);
  const paths = new Set([...mine.keys(), ...theirs.flatMap((m) => [...m.keys()])]);
  let answer = decision;
  const kept: string[] = [];
  const filled: string[] = [];
  const contested: string[] = [];
  for (const p of [...paths].sort()) {
    const v = mine.get(p);
    if (decided(v)) {
      kept.push(p);
      if (fresh.some((m) => decided(m.get(p)) && key(m.get(p)) !== key(v))) contested.push(p);
      continue;
    }
    // Undecided: propose the value a strict majority of the current work gives.
    const counts = new Map<string, { v: unknown; n: number }>();
    for (const m of theirs) {
      const x = m.get(p);
      if (!decided(x)) continue;
      const c = counts.get(key(x)) ?? { v: x, n: 0 };
      c.n++;
      counts.set(key(x), c);
    }
    const best = [...counts.values()].sort((a, b) => b.n - a.n)[0];
    if (best && best.n * 2 > theirs.length) {
      answer = setField(answer, p, best.v);
      filled.push(p);
    }
  }
  return { answer, kept, filled, contested };
}
