import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import { upsertKnownDevices } from '../../electron/core/sync/receive.ts';
import { BATCH_FORMAT, BATCH_PAYLOAD_TYPE, GENESIS_HASH, type Adjudication, type Annotation, type AnnotationContent, type SubmittedAnnotation, type Answer, type BatchRecord, type Role } from '../../shared/domain/index.ts';
import { signEnvelope } from '../../shared/node/dsse.ts';
import { sha256Hex } from '../../shared/node/hash.ts';
import { generateKeyPair, type PrivateJwk } from '../../shared/node/keys.ts';
import { buildMinimal, call, orgKey } from '../helpers/workspace.ts';

/**
 * A reviewer's workstation holding the minimal bundle (one compare, one exemplar, one
 * trajectory task), and other devices whose signed batch files it receives through the real
 * receive path (sync.importBatches), the way a USB stick or `review pull` delivers them.
 */

export interface Device {
  userId: string;
  name: string;
  deviceId: string;
  role: Role;
  key: PrivateJwk;
  seq: number;
  lastHash: string;
}

export interface ReviewFixture {
  dir: string;
  core: Core;
  bundleId: string;
  hashOf(taskId: string): Promise<string>;
  device(name: string, role?: Role): Promise<Device>;
  /** Signs the next batch of `d` with these records, writes it as a file and returns its path. */
  batchFile(d: Device, records: BatchRecord[]): string;
  /** Receives records from `d` through sync.importBatches. */
  receive(d: Device, records: BatchRecord[]): Promise<{ ok: boolean; message?: string | undefined }>;
  annotation(d: Device, taskId: string, answer: Answer, extra?: Partial<Omit<Annotation, 'content' | 'status'>> & { content?: Partial<AnnotationContent> }): Promise<SubmittedAnnotation>;
}

export async function reviewFixture(dir: string, role: Role = 'reviewer'): Promise<ReviewFixture> {
  const key = orgKey();
  const file = await buildMinimal(dir, key);
  const core = await Core.open({ dataDir: join(dir, 'reviewer'), host: 'web' });
  await core.importBundle(file, { trusted: [key.trusted] });
  await call(core, 'identity.setup', { displayName: 'Senior Reviewer', role });
  const bundleId = 'test.minimal';
  let files = 0;
  const fx: ReviewFixture = {
    dir,
    core,
    bundleId,
    hashOf: async (taskId) => (core.ctx.db.prepare('SELECT hash FROM tasks WHERE bundle_id = ? AND task_id = ?').get(bundleId, taskId) as { hash: string }).hash,
    device: async (name, r = 'annotator') => {
      const { privateJwk, publicJwk } = generateKeyPair();
      const d: Device = { userId: randomUUID(), name, deviceId: `dev-${name.toLowerCase().replace(/\W+/g, '-')}-${randomUUID().slice(0, 6)}`, role: r, key: privateJwk, seq: 0, lastHash: GENESIS_HASH };
      await core.exclusive(() =>
        upsertKnownDevices(core.ctx.db, [{ deviceId: d.deviceId, publicKey: publicJwk, userId: d.userId, displayName: name, role: r, revokedAt: null }], new Date().toISOString()),
      );
      return d;
    },
    batchFile: (d, records) => {
      const payload = { format: BATCH_FORMAT, deviceId: d.deviceId, seq: d.seq + 1, prevHash: d.lastHash, createdAt: new Date().toISOString(), records };
      const bytes = Buffer.from(JSON.stringify(signEnvelope(BATCH_PAYLOAD_TYPE, Buffer.from(JSON.stringify(payload)), d.key)));
      d.seq += 1;
      d.lastHash = sha256Hex(bytes);
      const path = join(dir, `batch-${++files}.cbatch`);
      writeFileSync(path, bytes);
      return path;
    },
    receive: async (d, records) => {
      const path = fx.batchFile(d, records);
      const r = await call(core, 'sync.importBatches', { files: [path] });
      const res = r.results[0]!;
      return { ok: res.ok, message: res.message };
    },
    annotation: async (d, taskId, answer, extra = {}) => {
      const at = new Date().toISOString();
      const { content, ...rest } = extra;
      const task = JSON.parse((core.ctx.db.prepare('SELECT body FROM tasks WHERE bundle_id = ? AND task_id = ?').get(bundleId, taskId) as { body: string }).body) as { kind: string; responses?: { id: string }[] };
      return {
        id: randomUUID(),
        bundleId,
        bundleVersion: 1,
        taskId,
        taskHash: await fx.hashOf(taskId),
        annotatorId: d.userId,
        annotatorName: d.name,
        deviceId: d.deviceId,
        revision: 1,
        supersedes: null,
        status: 'submitted',
        content: { answer, assumptions: [], escalations: [], highlights: [], ...content },
        displayOrder: task.kind === 'compare' ? (task.responses ?? []).map((r) => r.id) : [],
        activeMs: 30_000,
        createdAt: at,
        updatedAt: at,
        submittedAt: at,
        ...rest,
      };
    },
  };
  return fx;
}

/** Answers on the minimal bundle's tasks. */
export const answers = {
  compare: (choice: string, strength: 1 | 2 | 3 | null = 2, accuracy: [number, number] = [2, 5]): Answer => ({
    kind: 'compare',
    preference: { choice, strength: ['tie', 'both_unacceptable', 'cannot_judge'].includes(choice) ? null : strength },
    ranking: null,
    scores: { r1: { accuracy: accuracy[0] }, r2: { accuracy: accuracy[1] } },
    rationale: `I prefer ${choice}.`,
  }),
  exemplar: (corrected: string, accuracy = 4): Answer => ({ kind: 'exemplar', corrected, draftScores: { accuracy }, note: '', errorTypes: [], confirmedUnchanged: false, diffStats: null }),
  trajectory: (verdicts: ('good' | 'error' | 'unnecessary' | 'unsafe')[], firstErrorStepId: string | null, outcome: 'success' | 'partial' | 'failure' = 'failure'): Answer => ({
    kind: 'trajectory',
    steps: verdicts.map((v, i) => ({ stepId: `s${i + 1}`, verdict: v, errorTypes: [], note: '', corrected: null })),
    firstErrorStepId,
    outcome,
    scores: {},
    rationale: 'The call used the wrong patient.',
  }),
};

/** An adjudication record as a reviewer's core writes it. */
export function adjudicationRecord(d: Device, basedOn: Annotation[], answer: Answer, extra: Partial<Adjudication> = {}): Adjudication {
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
    revision: 1,
    supersedes: null,
    basedOn: basedOn.map((a) => a.id),
    method: 'accepted',
    source: first.id,
    answer,
    rationale: 'Weight-based dosing is right for a 45 kg adult.',
    resolvesEscalations: [],
    createdAt: new Date().toISOString(),
    ...extra,
  };
}
