import type { Answer, ExemplarTask, Json, Message, Step, Task } from '../domain/index.ts';
import { contextMessages, stepText } from './messages.ts';
import { promptLength } from './steps.ts';
import type { ExportUnit, UnitAnnotation } from './unit.ts';

/**
 * Failure-to-SFT: documented model failures become exemplar tasks of the next bundle version,
 * so an expert writes the answer the model should have given. A failure is
 * - a trajectory step judged `error` or `unsafe` (the run up to that step is the prompt, the
 *   step as the agent wrote it is the draft, the annotator's corrected step travels with it);
 * - a compare task judged "both unacceptable" (the first response as shipped is the draft);
 * - an exemplar draft scored below the threshold on any numeric criterion.
 * Each derived task names the task content and the annotations (or adjudication) it came from
 * in `metadata.derivedFrom`, and carries the annotators' assumptions in `metadata.assumptions`
 * for the writer. One task per failure point, however many annotators documented it.
 */

export interface DeriveOptions {
  /** A numeric draft score strictly below this marks the draft as failed (default 3). */
  draftScoreBelow?: number;
}

export type FailureKind = 'step_error' | 'step_unsafe' | 'both_unacceptable' | 'low_draft_score';

export interface DerivedTask {
  task: ExemplarTask;
  kind: FailureKind;
}

interface Judgement {
  /** "annotation:<uuid>" or "adjudication:<uuid>". */
  source: string;
  answer: Answer;
  annotation: UnitAnnotation | null;
}

/** Each annotator's latest submitted revision on this content, and the adjudication in force. */
function judgements(unit: ExportUnit): Judgement[] {
  const latest = new Map<string, UnitAnnotation>();
  for (const a of unit.annotations) {
    if (a.status !== 'submitted' || a.taskHash !== unit.taskHash) continue;
    const seen = latest.get(a.annotatorId);
    if (!seen || a.revision > seen.revision) latest.set(a.annotatorId, a);
  }
  const out: Judgement[] = [...latest.values()].sort((x, y) => (x.id < y.id ? -1 : 1)).map((a) => ({ source: `annotation:${a.id}`, answer: a.content.answer, annotation: a }));
  if (unit.adjudication) out.push({ source: `adjudication:${unit.adjudication.id}`, answer: unit.adjudication.answer, annotation: null });
  return out;
}

interface Failure {
  kind: FailureKind;
  /** What makes two annotators' failures the same one (a step id, the task). */
  point: string;
  sources: string[];
  corrections: string[];
  annotations: UnitAnnotation[];
  build: () => Pick<ExemplarTask, 'context' | 'draft' | 'model' | 'modelVersion'>;
  detail: Record<string, Json>;
}

const STEP_ROLE: Record<Step['type'], Message['role']> = { message: 'assistant', thought: 'assistant', tool_call: 'assistant', tool_result: 'tool' };

/** The run before step `end` as plain messages: what the writer sees before writing the step. */
function runBefore(task: Extract<Task, { kind: 'trajectory' }>, end: number): Message[] {
  const out: Message[] = contextMessages(task.context ?? []);
  const opensWithUser = task.steps.slice(0, promptLength(task)).some((s) => s.type === 'message' && s.role === 'user');
  if (!opensWithUser) out.push({ role: 'user', content: task.goal });
  for (const s of task.steps.slice(0, end)) {
    out.push(s.type === 'message' ? { role: s.role, content: s.content } : { role: STEP_ROLE[s.type], content: stepText(s) });
  }
  return out;
}

const producer = (p: { model?: string | undefined; modelVersion?: string | undefined }) => ({
  ...(p.model !== undefined ? { model: p.model } : {}),
  ...(p.modelVersion !== undefined ? { modelVersion: p.modelVersion } : {}),
});

function failuresOf(unit: ExportUnit, threshold: number): Failure[] {
  const found = new Map<string, Failure>();
  const note = (j: Judgement, f: Omit<Failure, 'sources' | 'corrections' | 'annotations'>, correction: string | null) => {
    let seen = found.get(f.point);
    if (!seen) found.set(f.point, (seen = { ...f, sources: [], corrections: [], annotations: [] }));
    if (!seen.sources.includes(j.source)) seen.sources.push(j.source);
    if (correction && correction.trim() !== '' && !seen.corrections.includes(correction)) seen.corrections.push(correction);
    if (j.annotation) seen.annotations.push(j.annotation);
  };
  const task = unit.task;
  for (const j of judgements(unit)) {
    const a = j.answer;
    if (task.kind === 'trajectory' && a.kind === 'trajectory') {
      for (const label of a.steps) {
        if (label.verdict !== 'error' && label.verdict !== 'unsafe') continue;
        const index = task.steps.findIndex((s) => s.id === label.stepId);
        if (index < 0) continue;
        const step = task.steps[index]!;
        note(
          j,
          {
            kind: label.verdict === 'unsafe' ? 'step_unsafe' : 'step_error',
            point: `step:${step.id}`,
            build: () => ({ context: runBefore(task, index), draft: stepText(step) || `(empty ${step.type})`, ...producer(task) }),
            detail: { step: step.id, verdict: label.verdict, errorTypes: label.errorTypes },
          },
          label.corrected,
        );
      }
    } else if (task.kind === 'compare' && a.kind === 'compare' && a.preference?.choice === 'both_unacceptable') {
      const first = task.responses[0]!;
      note(j, { kind: 'both_unacceptable', point: 'both_unacceptable', build: () => ({ context: task.context, draft: first.content, ...producer(first) }), detail: { responses: task.responses.map((r) => r.id), draftFrom: first.id } }, a.rationale);
    } else if (task.kind === 'exemplar' && a.kind === 'exemplar') {
      const low = Object.entries(a.draftScores).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] < threshold);
      if (low.length === 0) continue;
      note(j, { kind: 'low_draft_score', point: 'draft', build: () => ({ context: task.context, draft: task.draft, ...producer(task) }), detail: { lowScores: Object.fromEntries(low), below: threshold } }, a.corrected);
    }
  }
  return [...found.values()];
}

/** The tag every derived task carries (added to the taxonomy of the derived source). */
export const DERIVED_TAG = 'derived';

const SUFFIX: Record<FailureKind, string> = { step_error: 'fix', step_unsafe: 'fix', both_unacceptable: 'rewrite', low_draft_score: 'redraft' };

/** The exemplar tasks one unit's documented failures give (none when nothing failed). */
export function deriveFromUnit(unit: ExportUnit, opts: DeriveOptions = {}): DerivedTask[] {
  const threshold = opts.draftScoreBelow ?? 3;
  return failuresOf(unit, threshold).map((f) => {
    const point = f.point.startsWith('step:') ? `-${f.point.slice(5)}` : '';
    const assumptions: Json[] = [];
    for (const a of f.annotations) for (const x of a.content.assumptions) assumptions.push({ category: x.category, text: x.text, annotator: a.annotatorName });
    const body = f.build();
    const task: ExemplarTask = {
      id: `${unit.task.id}.${SUFFIX[f.kind]}${point}`.slice(0, 128),
      kind: 'exemplar',
      title: `${f.kind === 'low_draft_score' ? 'Redraft' : 'Write the right answer'}: ${unit.task.title ?? unit.task.id}`.slice(0, 200),
      tags: [...new Set([...(unit.task.tags ?? []), DERIVED_TAG])],
      ...body,
      metadata: {
        ...(unit.task.metadata ?? {}),
        derivedFrom: {
          bundleId: unit.bundle.id,
          bundleVersion: unit.bundle.version,
          taskId: unit.task.id,
          taskHash: unit.taskHash,
          failure: f.kind,
          ...f.detail,
          sources: [...f.sources].sort(),
        },
        ...(f.corrections.length > 0 ? { annotatorCorrections: f.corrections } : {}),
        ...(assumptions.length > 0 ? { assumptions } : {}),
      },
    };
    return { task, kind: f.kind };
  });
}

/** A guideline candidate marked from the assumption search. */
export interface GuidelineCandidate {
  category: string;
  categoryLabel?: string;
  text: string;
  /** Who marked it, and the task it was found on. */
  markedBy: string;
  taskId: string;
}

/**
 * The draft guidelines section `bundle derive` appends: every candidate, grouped by category,
 * under a heading that says it is a draft, for the admin to edit into real guidance.
 */
export function candidateSection(candidates: readonly GuidelineCandidate[]): string {
  if (candidates.length === 0) return '';
  const byCategory = new Map<string, GuidelineCandidate[]>();
  for (const c of candidates) byCategory.set(c.categoryLabel ?? c.category, [...(byCategory.get(c.categoryLabel ?? c.category) ?? []), c]);
  const lines = [
    '## DRAFT: guidance from recurring assumptions',
    '',
    '> Draft for the admin to edit before building: assumptions annotators made, marked as guideline candidates. Turn each into a rule or delete it.',
    '',
  ];
  for (const [label, list] of [...byCategory.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(`### ${label}`, '');
    for (const c of list) lines.push(`- ${c.text.replace(/\s+/g, ' ').trim()} _(task ${c.taskId}; marked by ${c.markedBy})_`);
    lines.push('');
  }
  return lines.join('\n');
}
