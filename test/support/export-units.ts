import { createHash } from 'node:crypto';
import type { Answer, AnnotationContent, Task } from '../../shared/domain/index.ts';
import type { BatchRef, ExportUnit, UnitAdjudication, UnitAnnotation, UnitBundle } from '../../shared/export/index.ts';

/** Export units built the way the read model will build them, for tests and the bench. */

export const hashOf = (task: Task): string => createHash('sha256').update(JSON.stringify(task)).digest('hex');

let counter = 0;
/** A deterministic UUID-shaped id (v4 layout) from a label, so fixtures and expected ids stay stable. */
export function uuidOf(label: string): string {
  const h = createHash('sha256').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Repeated ids and batches as one value each, as a store's read hands out flat strings: a
 * template string made per annotation is a rope that every map lookup would flatten again, a
 * cost no real read model pays; and a batch hashed again per annotation would make the insight
 * bench's baseline (generating 100k units) slower and noisier than what it measures.
 */
const annotatorIds = new Map<string, string>();
const deviceIds = new Map<string, string>();
const batches = new Map<string, Map<number, BatchRef>>();
function once<K, V>(m: Map<K, V>, key: K, make: () => V): V {
  let v = m.get(key);
  if (v === undefined) m.set(key, (v = make()));
  return v;
}
export const annotatorIdOf = (who: string): string => once(annotatorIds, who, () => uuidOf(`annotator/${who}`));
export const deviceIdOf = (who: string): string => once(deviceIds, who, () => `dev-${who}`);

/** A batch reference (read-only: one object per device and sequence number). */
export function batchOf(deviceId: string, seq: number): BatchRef {
  return once(once(batches, deviceId, () => new Map<number, BatchRef>()), seq, () => ({ deviceId, seq, hash: createHash('sha256').update(`${deviceId}/${seq}`).digest('hex') }));
}

export function content(answer: Answer, extra: Partial<AnnotationContent> = {}): AnnotationContent {
  return { answer, assumptions: [], escalations: [], highlights: [], ...extra };
}

export interface AnnotationSpec {
  who: string;
  answer: Answer;
  revision?: number;
  taskHash?: string;
  bundleVersion?: number;
  batch?: BatchRef | null;
  status?: 'draft' | 'submitted';
  escalations?: AnnotationContent['escalations'];
}

export function annotation(task: Task, spec: AnnotationSpec, unitHash = hashOf(task)): UnitAnnotation {
  const revision = spec.revision ?? 1;
  const id = uuidOf(`${task.id}/${spec.who}/${revision}/${counter}`);
  return {
    id,
    bundleId: 'b.test',
    bundleVersion: spec.bundleVersion ?? 1,
    taskId: task.id,
    taskHash: spec.taskHash ?? unitHash,
    annotatorId: annotatorIdOf(spec.who),
    annotatorName: spec.who,
    deviceId: deviceIdOf(spec.who),
    revision,
    supersedes: revision > 1 ? uuidOf(`${task.id}/${spec.who}/${revision - 1}/${counter}`) : null,
    status: spec.status ?? 'submitted',
    content: content(spec.answer, spec.escalations ? { escalations: spec.escalations } : {}),
    displayOrder: task.kind === 'compare' ? task.responses.map((r) => r.id) : [],
    activeMs: 60_000,
    createdAt: '2026-05-01T10:00:00.000Z',
    updatedAt: '2026-05-01T10:05:00.000Z',
    submittedAt: spec.status === 'draft' ? null : '2026-05-01T10:05:00.000Z',
    batch: spec.batch === undefined ? batchOf(deviceIdOf(spec.who), 1) : spec.batch,
  };
}

export function adjudication(task: Task, basedOn: readonly UnitAnnotation[], answer: Answer, extra: Partial<UnitAdjudication> = {}): UnitAdjudication {
  return {
    id: uuidOf(`${task.id}/adjudication`),
    reviewerId: uuidOf('annotator/reviewer'),
    reviewerName: 'Rev',
    deviceId: 'dev-rev',
    basedOn: basedOn.map((a) => a.id),
    answer,
    rationale: 'decided',
    taskHash: hashOf(task),
    bundleVersion: 1,
    batch: batchOf('dev-rev', 1),
    ...extra,
  };
}

export interface UnitSpec {
  bundle?: Partial<UnitBundle>;
  annotations?: AnnotationSpec[];
  /** Adjudicate on the given annotations' basis with this answer. */
  adjudicate?: Answer;
  agreement?: number | null;
  gold?: boolean;
  open?: number;
}

export function unit(task: Task, spec: UnitSpec = {}): ExportUnit {
  counter++;
  const taskHash = hashOf(task);
  const annotations = (spec.annotations ?? []).map((a) => annotation(task, a, taskHash));
  return {
    bundle: { id: 'b.test', version: 1, ...spec.bundle },
    task,
    taskHash,
    annotations,
    adjudication: spec.adjudicate ? adjudication(task, annotations, spec.adjudicate) : null,
    agreement: spec.agreement ?? null,
    gold: spec.gold ?? false,
    escalations: { open: spec.open ?? 0, resolved: 0 },
  };
}

export const compareTask = (id: string, n = 2, extra: Partial<Extract<Task, { kind: 'compare' }>> = {}): Extract<Task, { kind: 'compare' }> => ({
  id,
  kind: 'compare',
  context: [
    { role: 'system', content: 'You are a careful clinician.' },
    { role: 'user', content: `Question ${id}?` },
  ],
  responses: Array.from({ length: n }, (_, i) => ({ id: `r${i + 1}`, content: `Answer ${i + 1} to ${id}.`, model: 'm', modelVersion: 'v2' })),
  ...extra,
});

export const exemplarTask = (id: string): Extract<Task, { kind: 'exemplar' }> => ({
  id,
  kind: 'exemplar',
  context: [{ role: 'user', content: `Explain ${id}.` }],
  draft: `A rough draft about ${id}.`,
  model: 'm',
  modelVersion: 'v1',
});

export const trajectoryTask = (id: string): Extract<Task, { kind: 'trajectory' }> => ({
  id,
  kind: 'trajectory',
  goal: 'Check the dose.',
  context: [{ role: 'system', content: 'You are a medicines-safety agent.' }],
  tools: [{ name: 'get_labs', description: 'Laboratory results.' }],
  steps: [
    { id: 's1', type: 'message', role: 'user', content: 'Is 5 mg twice daily still right?' },
    { id: 's2', type: 'thought', content: 'I need the creatinine.' },
    { id: 's3', type: 'tool_call', tool: 'get_labs', arguments: { test: 'creatinine' }, callId: 'c1' },
    { id: 's4', type: 'tool_result', tool: 'get_labs', callId: 'c1', content: '168 umol/L' },
    { id: 's5', type: 'message', role: 'assistant', content: 'Reduce to 2.5 mg twice daily.' },
    { id: 's6', type: 'message', role: 'assistant', content: 'Also stop it tomorrow.' },
  ],
  model: 'agent',
  modelVersion: 'v3',
});

export const prefer = (choice: string, ranking: string[][] | null = null, strength: 1 | 2 | 3 | null = 2): Answer => ({
  kind: 'compare',
  preference: { choice, strength: ['tie', 'both_unacceptable', 'cannot_judge'].includes(choice) ? null : strength },
  ranking,
  scores: {},
  rationale: 'because',
});

export const correct = (corrected: string, confirmedUnchanged = false): Answer => ({
  kind: 'exemplar',
  corrected,
  draftScores: {},
  note: '',
  errorTypes: [],
  confirmedUnchanged,
  diffStats: null,
});

export type Verdict = 'good' | 'error' | 'unnecessary' | 'unsafe' | null;
export const judgeSteps = (task: Extract<Task, { kind: 'trajectory' }>, verdicts: Verdict[], firstError: string | null, corrected: Record<string, string> = {}): Answer => ({
  kind: 'trajectory',
  steps: task.steps.map((s, i) => ({ stepId: s.id, verdict: verdicts[i] ?? null, errorTypes: [], note: '', corrected: corrected[s.id] ?? null })),
  firstErrorStepId: firstError,
  outcome: 'partial',
  scores: {},
  rationale: 'checked',
});
