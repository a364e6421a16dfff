import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/main.ts';
import { loadReceiptKey } from '../../server/server-key.ts';
import { openStorage } from '../../server/start.ts';
import type { SyncStorage } from '../../server/storage/types.ts';
import { iterateServerUnits, ServerBundleError, type ServerUnitReport } from '../../server/work/units.ts';
import type { Annotation, Answer } from '../../shared/domain/index.ts';
import { EXPORT_MANIFEST_FILE, ExportFormat, type ExportManifest, type ExportUnit } from '../../shared/export/index.ts';
import { generateKeyPair, type PrivateJwk } from '../../shared/node/keys.ts';
import { correct, judgeSteps, prefer } from '../support/export-units.ts';
import { schemaProblems } from '../support/schema-check.ts';
import {
  adjudicationBy,
  annotationBy,
  asAdjudication,
  asAnnotation,
  enrolDevice,
  publishSample,
  pushBatch,
  SAMPLE_PUBLIC_FILE,
  SAMPLE_TRUST,
  type Device,
  type PublishedBundle,
} from '../support/server-work.ts';
import { BACKENDS, freshPgDatabase, tempDir } from './sync/helpers.ts';

const tmp = tempDir('cb-server-export-');
afterAll(() => tmp.cleanup());

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const jsonl = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

/** Where each record travelled, as the test pushed it: the truth rows are traced back to. */
type Batches = Map<string, { deviceId: string; seq: number; hash: string }>;

/** Two annotators and a reviewer on the clinical sample, with the awkward cases a real project has. */
async function seed(storage: SyncStorage, dataDir: string): Promise<{ bundle: PublishedBundle; batches: Batches; serverKey: PrivateJwk; ada: Device; ben: Device; rev: Device; staleBasis: Annotation }> {
  const serverKey = await loadReceiptKey(storage, dataDir);
  const bundle = await publishSample(storage, dataDir, 'clinical');
  const ada = await enrolDevice(storage, 'Ada Annotator', 'annotator');
  const ben = await enrolDevice(storage, 'Ben Annotator', 'annotator');
  const rev = await enrolDevice(storage, 'Rita Reviewer', 'reviewer');
  const batches: Batches = new Map();
  const push = async (d: Device, records: (Annotation | ReturnType<typeof adjudicationBy>)[]) => {
    const b = await pushBatch(storage, serverKey, d, records.map((r) => ('annotatorId' in r ? asAnnotation(r) : asAdjudication(r))));
    for (const r of records) batches.set(r.id, { deviceId: d.deviceId, ...b });
  };
  const traj = bundle.tasks.get('clin-012')!.task;
  if (traj.kind !== 'trajectory') throw new Error('clin-012 is a trajectory');
  const verdicts = traj.steps.map((s) => (s.id === 's13' ? 'error' : 'good') as 'good' | 'error');
  const judged: Answer = judgeSteps(traj, verdicts, 's13', { s13: 'Check the INR before choosing the dose.' });

  const a = {
    c2: annotationBy(ada, bundle, 'clin-002', prefer('r1')),
    c3: annotationBy(ada, bundle, 'clin-003', prefer('r1')),
    c4: annotationBy(ada, bundle, 'clin-004', prefer('r2'), { content: { escalations: [{ id: 'esc-1', reason: 'unsafe', severity: 'high', note: 'Both miss the interaction.', scope: { type: 'task' } }] } }),
    c6: annotationBy(ada, bundle, 'clin-006', prefer('r2', [['r2'], ['r1'], ['r3', 'r4']])),
    e7: annotationBy(ada, bundle, 'clin-007', correct('Give 500 mg four times daily; review the dose at 48 hours.')),
    e8: annotationBy(ada, bundle, 'clin-008', correct('First version of the rewrite.')),
    g1: annotationBy(ada, bundle, 'clin-001', prefer('r2')),
    orphan: annotationBy(ada, bundle, 'clin-009', correct('Work on content the server never saw.'), { taskHash: 'f'.repeat(64) }),
  };
  await push(ada, [a.c2, a.c3, a.c4, a.c6, a.e7, a.e8, a.g1, a.orphan]);
  const b = {
    c2: annotationBy(ben, bundle, 'clin-002', prefer('r1', null, 3)),
    c3: annotationBy(ben, bundle, 'clin-003', prefer('r2')),
    c4: annotationBy(ben, bundle, 'clin-004', prefer('r2')),
    e7: annotationBy(ben, bundle, 'clin-007', correct('Give 500 mg four times daily; review the dose at 48 hours.')),
    t12: annotationBy(ben, bundle, 'clin-012', judged),
  };
  await push(ben, [b.c2, b.c3, b.c4]);
  await push(ben, [b.e7, b.t12]);
  await push(rev, [
    adjudicationBy(rev, [a.c2, b.c2], prefer('r1')),
    adjudicationBy(rev, [a.c6], prefer('r2', [['r2'], ['r1'], ['r3', 'r4']])),
    adjudicationBy(rev, [a.e7, b.e7], correct('Give 500 mg four times daily; review the dose at 48 hours.')),
    adjudicationBy(rev, [b.t12], judged),
    adjudicationBy(rev, [a.e8], correct('First version of the rewrite.')),
    adjudicationBy(rev, [a.g1], prefer('r2')),
  ]);
  // Ada revises clin-008 after it was adjudicated: that adjudication judged work that no longer stands.
  await push(ada, [annotationBy(ada, bundle, 'clin-008', correct('Second, better rewrite.'), { revision: 2, supersedes: a.e8.id })]);
  return { bundle, batches, serverKey, ada, ben, rev, staleBasis: a.e8 };
}

describe.each(BACKENDS)('server export over everything the server holds (%s)', (kind) => {
  let storage: SyncStorage;
  let dataDir: string;
  let dbArgs: string[];
  let world: Awaited<ReturnType<typeof seed>>;
  let dropPg: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    dataDir = join(tmp.dir, `server-${kind}`);
    let url: string | undefined;
    if (kind === 'postgres') {
      const fresh = await freshPgDatabase();
      url = fresh.url;
      dropPg = fresh.drop;
    }
    storage = await openStorage(dataDir, url);
    dbArgs = ['--data', dataDir, ...(url ? ['--database-url', url] : [])];
    world = await seed(storage, dataDir);
  });
  afterAll(async () => {
    await storage.close();
    await dropPg?.();
  });

  it('builds one unit per published task, with all accepted work, the adjudication in force and the open escalations', async () => {
    const report: ServerUnitReport = { bundlesRead: [], orphanRecords: 0 };
    const units: ExportUnit[] = [];
    for await (const u of iterateServerUnits(storage, { trusted: [SAMPLE_TRUST], report })) units.push(u);
    expect(units.map((u) => u.task.id)).toEqual(Array.from({ length: 14 }, (_, i) => `clin-${String(i + 1).padStart(3, '0')}`));
    expect(report).toEqual({ bundlesRead: [{ id: 'sample.clinical-triage', version: 1 }], orphanRecords: 1 });
    const by = new Map(units.map((u) => [u.task.id, u]));

    const c2 = by.get('clin-002')!;
    expect(c2.bundle).toMatchObject({ id: 'sample.clinical-triage', version: 1, title: 'Sample: clinical triage and prescribing' });
    expect(c2.taskHash).toBe(world.bundle.tasks.get('clin-002')!.hash);
    expect(c2.annotations.map((a) => [a.annotatorName, a.batch])).toEqual([
      ['Ada Annotator', { deviceId: world.ada.deviceId, seq: 1, hash: world.batches.get(c2.annotations[0]!.id)!.hash }],
      ['Ben Annotator', { deviceId: world.ben.deviceId, seq: 1, hash: world.batches.get(c2.annotations[1]!.id)!.hash }],
    ]);
    expect(c2.adjudication).toMatchObject({ reviewerName: 'Rita Reviewer', taskHash: c2.taskHash, batch: { deviceId: world.rev.deviceId, seq: 1 } });
    expect(c2.agreement).toBe(1);
    expect(by.get('clin-003')!.agreement).toBe(0);
    expect(by.get('clin-004')!.escalations).toEqual({ open: 1, resolved: 0 });
    expect(by.get('clin-001')!.gold).toBe(true);
    // Revised after adjudication: the reviewer's decision no longer stands for the task.
    const e8 = by.get('clin-008')!;
    expect(e8.annotations).toHaveLength(2);
    expect(e8.adjudication).toBeNull();
    // The orphan's content is not in any published version: its record is reported, not invented into a unit.
    expect(by.get('clin-009')!.annotations).toEqual([]);
    expect(by.get('clin-010')!.annotations).toEqual([]);
  });

  it('reads only the bundles asked for, and refuses bundles the given key did not sign', async () => {
    const none: ExportUnit[] = [];
    for await (const u of iterateServerUnits(storage, { trusted: [SAMPLE_TRUST], bundles: ['sample.legal-research'] })) none.push(u);
    expect(none).toEqual([]);
    const stranger = { jwk: generateKeyPair().publicJwk, label: 'Stranger', bundlePrefix: null };
    await expect(async () => {
      for await (const _ of iterateServerUnits(storage, { trusted: [stranger] })) void _;
    }).rejects.toThrow(ServerBundleError);
  });

  it('casebook server export --format writes every format, each line valid against its schema and traced to its signed batch; export verify refuses a flipped byte', async () => {
    const out = join(tmp.dir, `export-${kind}`);
    const r = await cli(['server', 'export', ...dbArgs, '--format', 'all', '--out', out, '--trust', SAMPLE_PUBLIC_FILE, '--policy', 'majority', '--from-trajectories']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('tasks: 14 seen');
    // Three of the sample's tasks are calibration items; clin-004 has an open escalation; clin-003 splits 1:1.
    expect(r.out).toContain('left out: 3 gold, 1 no_majority, 1 escalated, 1 too_few_answers, 4 no_work');
    expect(r.err).toContain('1 accepted annotations are about task contents no published bundle holds');

    const manifest = JSON.parse(Buffer.from((JSON.parse(readFileSync(join(out, EXPORT_MANIFEST_FILE), 'utf8')) as { payload: string }).payload, 'base64').toString('utf8')) as ExportManifest;
    const listed = new Set(manifest.sources.batches.map((b) => `${b.deviceId}/${b.seq}/${b.hash}`));
    expect(manifest.sources.unsealedRecords).toBe(0);
    const rowsOf: Record<string, number> = {};
    for (const format of ExportFormat.options) {
      const lines = jsonl(join(out, `${format}.jsonl`));
      const side = format === 'chat-sft' || format === 'chat-preference' ? jsonl(join(out, `${format}.meta.jsonl`)) : null;
      rowsOf[format] = lines.length;
      for (const [i, line] of lines.entries()) {
        expect(schemaProblems(`export-${format}`, line), `${format} line ${i + 1}`).toEqual([]);
        if (format === 'full') {
          for (const a of line.annotations as { id: string; batch: unknown }[]) expect(a.batch).toEqual(world.batches.get(a.id));
          continue;
        }
        const meta = (side ? side[i]!.metadata : line.metadata) as { sources: string[] };
        if (side) expect(schemaProblems('export-side', side[i]), `${format} side line ${i + 1}`).toEqual([]);
        for (const s of meta.sources) {
          const b = world.batches.get(s.split(':')[1]!);
          expect(b, `${format} line ${i + 1}: source ${s}`).toBeDefined();
          expect(listed.has(`${b!.deviceId}/${b!.seq}/${b!.hash}`), `${format} line ${i + 1}: batch of ${s} is in the manifest`).toBe(true);
        }
      }
    }
    // Chosen: clin-002 (one pair), clin-006 (ranking r2 > r1 > {r3, r4}: 5 pairs under all-pairs, the tie never pairs),
    // clin-007 (exemplar), clin-012 (trajectory; its corrected step also gives preference and SFT rows).
    expect(rowsOf).toMatchObject({ full: 10, prm: 1, sft: 2, 'chat-sft': 2 });
    expect(rowsOf.dpo).toBe(rowsOf['chat-preference']);

    const ok = await cli(['export', 'verify', out, '--trust', join(dataDir, 'server-key.jwk')]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('verified');
    const file = join(out, 'dpo.jsonl');
    const bytes = readFileSync(file);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(file, bytes);
    const bad = await cli(['export', 'verify', out, '--trust', join(dataDir, 'server-key.jwk')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('dpo.jsonl: content differs from the signed manifest');
    expect(readdirSync(out)).toContain('README.md');
  });

  it('keeps the raw evidence export, and says what is missing for a dataset export', async () => {
    const raw = join(tmp.dir, `raw-${kind}.jsonl`);
    const r = await cli(['server', 'export', ...dbArgs, '--out', raw]);
    expect(r.code, r.err).toBe(0);
    expect(jsonl(raw)).toHaveLength(world.batches.size);
    const noTrust = await cli(['server', 'export', ...dbArgs, '--format', 'dpo', '--out', join(tmp.dir, `x-${kind}`)]);
    expect(noTrust).toMatchObject({ code: 2, err: expect.stringContaining('--trust is required') });
    const badFormat = await cli(['server', 'export', ...dbArgs, '--format', 'dpo,parquet-ish', '--out', join(tmp.dir, `y-${kind}`), '--trust', SAMPLE_PUBLIC_FILE]);
    expect(badFormat).toMatchObject({ code: 2, err: expect.stringContaining('--format: "parquet-ish" is not one of') });
  });
});
