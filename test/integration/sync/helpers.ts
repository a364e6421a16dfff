import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core, type CoreOptions } from '../../../electron/core/core.ts';
import { enqueue } from '../../../electron/core/sync/outbox.ts';
import type { IdentityView } from '../../../shared/contract/index.ts';
import { BATCH_FORMAT, BATCH_PAYLOAD_TYPE, type Adjudication, type Annotation, type BatchRecord, type Role, type SubmittedAnnotation } from '../../../shared/domain/index.ts';
import { signEnvelope } from '../../../shared/node/dsse.ts';
import type { PrivateJwk } from '../../../shared/node/keys.ts';
import { startServer, type RunningServer, type ServerOptions } from '../../../server/start.ts';
import { createEnrolToken } from '../../../server/admin-auth.ts';
import type { TokenBinding } from '../../../server/storage/types.ts';
import { getIdentity } from '../../../electron/core/identity/identity.ts';

export function tempDir(prefix = 'cb-sync-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startTestServer(dataDir: string, extra: Partial<ServerOptions> = {}): Promise<RunningServer & { adminToken: string }> {
  let adminToken = '';
  const s = await startServer({ dataDir, port: 0, logLevel: false, rateLimit: { perSecond: 0, burst: 0 }, onAdminToken: (t) => (adminToken = t), ...extra });
  return Object.assign(s, { adminToken });
}

/** A workstation with an identity, ready to enrol. */
export async function openWorkstation(dataDir: string, opts: Partial<CoreOptions> = {}, role: Role = 'annotator'): Promise<{ core: Core; who: IdentityView }> {
  const core = await Core.open({ dataDir, host: 'web', ...opts });
  const res = await core.call('identity.setup', { displayName: 'Dr Test', role });
  if (!res.ok) throw new Error(res.error.message);
  return { core, who: res.result as IdentityView };
}

/** The token binding that enrols a workstation as who it already is (user id, name, role). */
export function bindingOf(who: Pick<IdentityView, 'userId' | 'displayName' | 'role'>): TokenBinding {
  return { userId: who.userId, displayName: who.displayName, role: who.role };
}

/** Enrols a workstation with a token an admin issued for the workstation's own user and role. */
export async function enrolWorkstation(core: Core, server: Pick<RunningServer, 'storage' | 'url'>): Promise<void> {
  const who = await core.exclusive(() => getIdentity(core.ctx));
  if (!who) throw new Error('set the workstation up first');
  const { token } = await createEnrolToken(server.storage, bindingOf(who), 'test', new Date());
  await core.sync.enrol(server.url, token);
}

/** A submitted annotation as lifecycle.submit() would produce it, for volume tests. */
export function fakeAnnotation(who: Pick<IdentityView, 'userId' | 'displayName' | 'deviceId'>, i: number): SubmittedAnnotation {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)).toISOString();
  return {
    id: randomUUID(),
    bundleId: 'bench.sync',
    bundleVersion: 1,
    taskId: `t${i}`,
    taskHash: 'a'.repeat(64),
    annotatorId: who.userId,
    annotatorName: who.displayName,
    deviceId: who.deviceId,
    revision: 1,
    supersedes: null,
    status: 'submitted',
    content: {
      answer: { kind: 'compare', preference: { choice: 'r2', strength: 2 }, ranking: null, scores: { r1: { accuracy: 2 }, r2: { accuracy: 5 } }, rationale: `Response two is right for item ${i}; one overdoses a 45 kg adult.` },
      assumptions: [],
      escalations: [],
      highlights: [],
    },
    displayOrder: ['r2', 'r1'],
    activeMs: 42_000 + i,
    createdAt: at,
    updatedAt: at,
    submittedAt: at,
  };
}

/** A reviewer's adjudication of the task of `basedOn`, authored by `who` (reviewerId is the author field). */
export function fakeAdjudication(who: Pick<IdentityView, 'userId' | 'displayName' | 'deviceId'>, basedOn: Annotation): Adjudication {
  return {
    id: randomUUID(),
    bundleId: basedOn.bundleId,
    bundleVersion: basedOn.bundleVersion,
    taskId: basedOn.taskId,
    taskHash: basedOn.taskHash,
    reviewerId: who.userId,
    reviewerName: who.displayName,
    deviceId: who.deviceId,
    revision: 1,
    supersedes: null,
    basedOn: [basedOn.id],
    method: 'accepted',
    source: basedOn.id,
    answer: basedOn.content.answer,
    rationale: 'Response two gives the weight-based dose; response one overdoses.',
    resolvesEscalations: [],
    createdAt: '2026-01-02T00:00:00.000Z',
  };
}

/** The bytes of a batch file signed by `key`, as a (possibly hostile) device would send it. */
export function signedBatch(key: PrivateJwk, deviceId: string, seq: number, prevHash: string, records: BatchRecord[]): Buffer {
  const payload = { format: BATCH_FORMAT, deviceId, seq, prevHash, createdAt: new Date().toISOString(), records };
  return Buffer.from(JSON.stringify(signEnvelope(BATCH_PAYLOAD_TYPE, Buffer.from(JSON.stringify(payload)), key)));
}

/** Puts n submitted annotations in the outbox, through the same enqueue the submit path uses. */
export async function fillOutbox(core: Core, who: IdentityView, n: number, offset = 0): Promise<string[]> {
  return core.exclusive(() =>
    core.ctx.db.transaction(() => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const a = fakeAnnotation(who, offset + i);
        enqueue(core.ctx.db, { type: 'annotation', record: a }, a.submittedAt!);
        ids.push(a.id);
      }
      return ids;
    })(),
  );
}

export async function postBatch(url: string, bytes: Buffer): Promise<{ status: number; body: Buffer; json: () => { error: { code: string; message: string; expectedSeq?: number } } }> {
  const res = await fetch(`${url}/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/vnd.casebook.batch+json' }, body: bytes });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, body, json: () => JSON.parse(body.toString('utf8')) };
}

/** The stored envelope bytes of one of the workstation's batches. */
export async function storedBatch(core: Core, seq: number): Promise<Buffer> {
  const row = await core.exclusive(() => core.ctx.db.prepare('SELECT envelope FROM sync_batch_files WHERE seq = ?').get(seq) as { envelope: Buffer } | undefined);
  if (!row) throw new Error(`no batch ${seq}`);
  return row.envelope;
}

export async function batchStates(core: Core): Promise<{ seq: number; state: string; refusal: string | null }[]> {
  return core.exclusive(() => core.ctx.db.prepare('SELECT seq, state, refusal FROM sync_batches ORDER BY seq').all() as { seq: number; state: string; refusal: string | null }[]);
}

/** Which server storages to run the suite against: SQLite always, PostgreSQL when configured. */
export const PG_URL = process.env.CASEBOOK_TEST_PG_URL;
export const BACKENDS: ('sqlite' | 'postgres')[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
if (!PG_URL && process.env.VITEST) {
  console.log('PostgreSQL variant of the sync suite skipped: CASEBOOK_TEST_PG_URL is not set (run scripts/ci-postgres.sh to get one).');
}

/** A fresh, empty PostgreSQL database for one test, dropped by the returned cleanup. */
export async function freshPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { default: pg } = await import('pg');
  const base = new URL(PG_URL!);
  const name = `cb_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
