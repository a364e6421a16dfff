import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acceptBatchBytes } from '../../server/accept.ts';
import type { SyncStorage } from '../../server/storage/types.ts';
import { criteriaFor, GENESIS_HASH, type SubmittedAnnotation, type Criterion, type Rubric, type Adjudication, type EscalationRef, type Annotation, type AnnotationContent, type Answer, type BatchRecord, type Role, type Task } from '../../shared/domain/index.ts';
import { buildBundle, openBundle, type TrustedKey } from '../../shared/node/bundle/index.ts';
import { sha256Hex } from '../../shared/node/hash.ts';
import { generateKeyPair, keyId, PrivateJwk, toPublic, type PublicJwk } from '../../shared/node/keys.ts';
import { signedBatch } from '../integration/sync/helpers.ts';

/** Real signed work on a real server store: sample bundles published, devices enrolled, batches accepted. */

export const SAMPLES = fileURLToPath(new URL('../../resources/samples', import.meta.url));
export const SAMPLE_KEY = PrivateJwk.parse(JSON.parse(readFileSync(join(SAMPLES, 'sample-key.private.jwk'), 'utf8')));
export const SAMPLE_PUBLIC_FILE = join(SAMPLES, 'sample-key.public.jwk');
export const SAMPLE_TRUST: TrustedKey = { jwk: toPublic(SAMPLE_KEY), label: 'Samples', bundlePrefix: null };

export interface PublishedBundle {
  id: string;
  version: number;
  /** Task id → its task and the SHA-256 of its line, as a workstation importing the bundle records it. */
  tasks: Map<string, { task: Task; hash: string }>;
  rubric: Rubric;
}

/** Fills the scores the rubric requires (the top of each scale), so the submission rules accept the answer. */
export function complete(b: PublishedBundle, taskId: string, answer: Answer): Answer {
  const task = b.tasks.get(taskId)!.task;
  const top = (c: Criterion): number | boolean | string => (c.scale.type === 'likert' ? c.scale.points.at(-1)!.value : c.scale.type === 'binary' ? true : c.scale.options[0]!.value);
  const scores = (kind: Task['kind']) => Object.fromEntries(criteriaFor(b.rubric, kind).filter((c) => c.required).map((c) => [c.id, top(c)]));
  if (answer.kind === 'compare' && task.kind === 'compare') return { ...answer, scores: Object.fromEntries(task.responses.map((r) => [r.id, scores('compare')])) };
  if (answer.kind === 'trajectory') return { ...answer, scores: scores('trajectory'), outcome: answer.outcome ?? 'partial' };
  return answer;
}

/** Builds a sample bundle (clinical / legal) and stores it on the server as an admin upload would. */
export async function publishSample(storage: SyncStorage, dir: string, name: 'clinical' | 'legal'): Promise<PublishedBundle> {
  const out = join(dir, `${name}.cbundle`);
  await buildBundle({ sourceDir: join(SAMPLES, name), key: SAMPLE_KEY, outFile: out });
  const opened = await openBundle(out, [SAMPLE_TRUST]);
  const tasks = new Map<string, { task: Task; hash: string }>();
  try {
    for await (const l of opened.tasks()) tasks.set(l.task.id, { task: l.task, hash: sha256Hex(l.json) });
  } finally {
    opened.close();
  }
  const bytes = readFileSync(out);
  const status = await storage.putBundle(opened.manifest.bundleId, opened.manifest.version, sha256Hex(bytes), bytes, new Date().toISOString());
  if (status !== 'stored') throw new Error(`putBundle: ${status}`);
  return { id: opened.manifest.bundleId, version: opened.manifest.version, tasks, rubric: opened.rubric };
}

export interface Device {
  userId: string;
  name: string;
  deviceId: string;
  role: Role;
  key: PrivateJwk;
  publicJwk: PublicJwk;
  seq: number;
  prevHash: string;
}

export async function enrolDevice(storage: SyncStorage, name: string, role: Role): Promise<Device> {
  const { privateJwk, publicJwk } = generateKeyPair();
  const userId = randomUUID();
  const deviceId = `dev-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const token = sha256Hex(`token ${deviceId} ${userId}`);
  const now = new Date();
  await storage.createEnrolToken(token, { userId, displayName: name, role }, 'test', now.toISOString(), new Date(now.getTime() + 3600_000).toISOString());
  const r = await storage.enrol(token, { deviceId, keyId: keyId(publicJwk), publicJwk }, {}, now.toISOString());
  if (r.kind !== 'enrolled') throw new Error(`enrol: ${r.kind}`);
  return { userId, name, deviceId, role, key: privateJwk, publicJwk, seq: 0, prevHash: GENESIS_HASH };
}

let clock = Date.UTC(2026, 4, 1, 9, 0, 0);
const tick = () => new Date((clock += 60_000)).toISOString();

/** A submitted annotation; its answer completed with the required scores unless `asIs` (a modified client's work). */
export function annotationBy(d: Device, bundle: PublishedBundle, taskId: string, answer: Answer, extra: { revision?: number; supersedes?: string; taskHash?: string; content?: Partial<AnnotationContent>; asIs?: boolean } = {}): SubmittedAnnotation {
  const t = bundle.tasks.get(taskId);
  if (!t) throw new Error(`no task ${taskId}`);
  const at = tick();
  const revision = extra.revision ?? 1;
  return {
    id: randomUUID(),
    bundleId: bundle.id,
    bundleVersion: bundle.version,
    taskId,
    taskHash: extra.taskHash ?? t.hash,
    annotatorId: d.userId,
    annotatorName: d.name,
    deviceId: d.deviceId,
    revision,
    supersedes: extra.supersedes ?? null,
    status: 'submitted' as const,
    content: { answer: extra.asIs ? answer : complete(bundle, taskId, answer), assumptions: [], escalations: [], highlights: [], ...extra.content },
    displayOrder: t.task.kind === 'compare' ? t.task.responses.map((r) => r.id) : [],
    activeMs: 90_000,
    createdAt: at,
    updatedAt: at,
    submittedAt: at,
  };
}

export function adjudicationBy(d: Device, basedOn: readonly Annotation[], answer: Answer, extra: { resolvesEscalations?: EscalationRef[]; supersedes?: Adjudication } = {}): Adjudication {
  const first = basedOn[0]!;
  return {
    id: randomUUID(),
    bundleId: first.bundleId,
    bundleVersion: first.bundleVersion,
    taskId: first.taskId,
    taskHash: first.taskHash,
    reviewerId: d.userId,
    reviewerName: d.name,
    deviceId: d.deviceId,
    revision: extra.supersedes ? extra.supersedes.revision + 1 : 1,
    supersedes: extra.supersedes?.id ?? null,
    basedOn: basedOn.map((a) => a.id),
    method: 'accepted',
    source: first.id,
    answer,
    rationale: 'Decided on the evidence in both answers.',
    resolvesEscalations: extra.resolvesEscalations ?? [],
    createdAt: tick(),
  };
}

/** Signs the records as the device's next batch and has the server accept it; returns the batch hash. */
export async function pushBatch(storage: SyncStorage, serverKey: PrivateJwk, d: Device, records: BatchRecord[]): Promise<{ seq: number; hash: string }> {
  const bytes = signedBatch(d.key, d.deviceId, d.seq + 1, d.prevHash, records);
  const r = await acceptBatchBytes(storage, serverKey, bytes, () => new Date());
  if (!r.ok) throw new Error(`batch refused: ${r.message}`);
  d.seq++;
  d.prevHash = sha256Hex(bytes);
  return { seq: d.seq, hash: d.prevHash };
}

// Only submitted work travels in batches: a test that builds a draft record gets it refused by the type.
export const asAnnotation = (record: Annotation): BatchRecord => ({ type: 'annotation', record: { ...record, status: 'submitted' } });
export const asAdjudication = (record: Adjudication): BatchRecord => ({ type: 'adjudication', record });
