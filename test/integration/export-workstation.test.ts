import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/main.ts';
import { upsertKnownDevices } from '../../electron/core/sync/receive.ts';
import { GENESIS_HASH, Rubric, type Annotation, type SubmittedAnnotation, type Answer, type BatchRecord, type Role, type Task } from '../../shared/domain/index.ts';
import { EXPORT_MANIFEST_FILE, ExportFormat, type ExportManifest } from '../../shared/export/index.ts';
import { contextMessages, textPrompt } from '../../shared/export/messages.ts';
import { buildBundle } from '../../shared/node/bundle/index.ts';
import { sha256Hex } from '../../shared/node/hash.ts';
import { generateKeyPair, toPublic } from '../../shared/node/keys.ts';
import { call, tempDir } from '../helpers/workspace.ts';
import { correct, judgeSteps, prefer } from '../support/export-units.ts';
import { schemaProblems } from '../support/schema-check.ts';
import { adjudicationBy, annotationBy, SAMPLE_KEY, SAMPLE_TRUST, SAMPLES, type Device, type PublishedBundle } from '../support/server-work.ts';
import { signedBatch } from './sync/helpers.ts';
import { workstation, type Workstation } from '../support/workstation.ts';
import { randomUUID } from 'node:crypto';

/**
 * Pages the pinned examples are compared with, field by field:
 * - TRL dataset formats: https://huggingface.co/docs/trl/dataset_formats (huggingface/trl docs/source/dataset_formats.md):
 *   language modeling {"messages"}, preference {"prompt","chosen","rejected"}, unpaired preference
 *   {"prompt","completion","label"}, stepwise supervision {"prompt","completions","labels"}.
 * - Chat-completions preference fine-tuning: https://developers.openai.com/api/docs/guides/direct-preference-optimization
 *   {"input":{"messages"},"preferred_output":[assistant],"non_preferred_output":[assistant]}; supervised {"messages"}
 *   (https://developers.openai.com/api/docs/guides/supervised-fine-tuning).
 */

const NOW = new Date('2026-05-12T09:00:00.000Z');
const tmp = tempDir('cb-ws-export-');
afterAll(() => tmp.cleanup());

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const jsonl = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const manifestOf = (dir: string) => JSON.parse(Buffer.from((JSON.parse(readFileSync(join(dir, EXPORT_MANIFEST_FILE), 'utf8')) as { payload: string }).payload, 'base64').toString('utf8')) as ExportManifest;

interface World {
  ws: Workstation;
  dataDir: string;
  keyFile: string;
  clinical: PublishedBundle;
  legal: PublishedBundle;
  /** Record id → the signed batch it travelled in. */
  batches: Map<string, { deviceId: string; seq: number; hash: string }>;
  records: Map<string, SubmittedAnnotation>;
}

/** A device of another person whose batches reach this workstation as files (USB, `review pull`). */
async function device(ws: Workstation, name: string, role: Role): Promise<Device> {
  const { privateJwk, publicJwk } = generateKeyPair();
  const d: Device = { userId: randomUUID(), name, deviceId: `dev-${name.toLowerCase().replace(/\W+/g, '-')}`, role, key: privateJwk, publicJwk, seq: 0, prevHash: GENESIS_HASH };
  await ws.core.exclusive(() => upsertKnownDevices(ws.core.ctx.db, [{ deviceId: d.deviceId, publicKey: publicJwk, userId: d.userId, displayName: name, role, revokedAt: null }], NOW.toISOString()));
  return d;
}

async function installed(ws: Workstation, name: 'clinical' | 'legal'): Promise<PublishedBundle> {
  const file = join(tmp.dir, `${name}.cbundle`);
  await buildBundle({ sourceDir: join(SAMPLES, name), key: SAMPLE_KEY, outFile: file, now: NOW });
  const r = await ws.core.importBundle(file, { trusted: [SAMPLE_TRUST] });
  const rows = ws.core.ctx.db.prepare('SELECT task_id, body, hash FROM tasks WHERE bundle_id = ?').all(r.bundleId) as { task_id: string; body: string; hash: string }[];
  const rubric = Rubric.parse(JSON.parse(readFileSync(join(SAMPLES, name, 'rubric.json'), 'utf8')));
  return { id: r.bundleId, version: r.version, tasks: new Map(rows.map((x) => [x.task_id, { task: JSON.parse(x.body) as Task, hash: x.hash }])), rubric };
}

async function seed(): Promise<World> {
  const ws = await workstation({ now: NOW, trust: [{ jwk: SAMPLE_TRUST.jwk, label: 'Samples' }], role: 'admin' });
  const clinical = await installed(ws, 'clinical');
  const legal = await installed(ws, 'legal');
  const ada = await device(ws, 'Ada Annotator', 'annotator');
  const ben = await device(ws, 'Ben Annotator', 'annotator');
  const rev = await device(ws, 'Rita Reviewer', 'reviewer');
  const batches: World['batches'] = new Map();
  const records = new Map<string, SubmittedAnnotation>();
  let files = 0;
  const deliver = async (d: Device, list: BatchRecord[]) => {
    const bytes = signedBatch(d.key, d.deviceId, d.seq + 1, d.prevHash, list);
    d.seq++;
    d.prevHash = sha256Hex(bytes);
    const path = join(tmp.dir, `batch-${++files}.cbatch`);
    writeFileSync(path, bytes);
    const r = await call(ws.core, 'sync.importBatches', { files: [path] });
    if (!r.results[0]!.ok) throw new Error(`batch refused: ${r.results[0]!.message}`);
    for (const x of list) batches.set(x.record.id, { deviceId: d.deviceId, seq: d.seq, hash: d.prevHash });
  };
  const ann = (d: Device, b: PublishedBundle, taskId: string, answer: Answer, assumptions: Annotation['content']['assumptions'] = []) => {
    const a = annotationBy(d, b, taskId, answer, { content: { assumptions } });
    records.set(a.id, a);
    return a;
  };
  const steps = (b: PublishedBundle, taskId: string, bad: string) => {
    const t = b.tasks.get(taskId)!.task as Extract<Task, { kind: 'trajectory' }>;
    return judgeSteps(t, t.steps.map((s) => (s.id === bad ? 'error' : 'good')), bad, { [bad]: 'Check the current guidance before answering.' });
  };
  const a = [
    ann(ada, clinical, 'clin-002', prefer('r1'), [{ id: 'as1', category: 'weight', text: 'Assumed she was weighed on admission, as the note says.', scope: { type: 'task' } }]),
    ann(ada, clinical, 'clin-006', prefer('r2', [['r2'], ['r1'], ['r3', 'r4']])),
    ann(ada, clinical, 'clin-007', correct('Sepsis screen positive: NEWS2 7; start the sepsis six within the hour.')),
    ann(ada, legal, 'law-002', prefer('r2')),
    ann(ada, legal, 'law-012', steps(legal, 'law-012', 's9')),
  ];
  const b = [
    ann(ben, clinical, 'clin-002', prefer('r1', null, 3)),
    ann(ben, clinical, 'clin-006', prefer('r2', [['r2'], ['r1'], ['r3', 'r4']])),
    ann(ben, clinical, 'clin-012', steps(clinical, 'clin-012', 's13')),
    ann(ben, legal, 'law-002', prefer('r2')),
    ann(ben, legal, 'law-012', steps(legal, 'law-012', 's9')),
  ];
  await deliver(ada, a.map((record) => ({ type: 'annotation', record })));
  await deliver(ben, b.slice(0, 2).map((record) => ({ type: 'annotation', record })));
  await deliver(ben, b.slice(2).map((record) => ({ type: 'annotation', record })));
  await deliver(rev, [
    { type: 'adjudication', record: adjudicationBy(rev, [a[0]!, b[0]!], a[0]!.content.answer) },
    { type: 'adjudication', record: adjudicationBy(rev, [a[2]!], a[2]!.content.answer) },
    { type: 'adjudication', record: adjudicationBy(rev, [b[2]!], b[2]!.content.answer) },
  ]);
  // Ada assumed the patient's weight on clin-002: the admin marks it as a guideline candidate (twice: one candidate).
  const hits = await call(ws.core, 'assumptions.search', { bundleId: clinical.id, query: 'weighed' });
  const hit = hits.hits[0]!;
  expect(hit.assumptionId).toBe(records.get(hit.annotationId)!.content.assumptions[0]!.id);
  await call(ws.core, 'assumptions.markCandidate', { bundleId: clinical.id, annotationId: hit.annotationId, assumptionId: hit.assumptionId });
  const marked = await call(ws.core, 'assumptions.markCandidate', { bundleId: clinical.id, annotationId: hit.annotationId, assumptionId: hit.assumptionId });
  expect(marked).toMatchObject({ taskId: 'clin-002', category: 'weight', text: 'Assumed she was weighed on admission, as the note says.', markedBy: 'Test admin' });
  expect(await call(ws.core, 'assumptions.candidates', { bundleId: clinical.id })).toHaveLength(1);
  await expect(call(ws.core, 'assumptions.markCandidate', { bundleId: clinical.id, annotationId: hit.annotationId, assumptionId: 'no-such' })).rejects.toThrow(/no assumption "no-such"/);
  const key = await ws.core.ctx.keyVault.load();
  const keyFile = join(tmp.dir, 'workstation.public.jwk');
  writeFileSync(keyFile, JSON.stringify(toPublic(key!)));
  const dataDir = join(ws.dir, 'data');
  // The CLI opens the store itself, as an admin would after closing the app.
  await ws.core.close();
  return { ws, dataDir, keyFile, clinical, legal, batches, records };
}

describe('casebook export on a workstation: two annotators and a reviewer on the sample bundles', () => {
  let w: World;
  beforeAll(async () => {
    w = await seed();
  }, 60_000);

  it('exports every format, each line valid against its schema and traced back to its signed batch', async () => {
    const out = join(tmp.dir, 'all');
    const r = await cli(['export', '--data', w.dataDir, '--format', 'all', '--out', out, '--policy', 'majority', '--from-trajectories', '--parquet']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`export written to ${out}`);
    const m = manifestOf(out);
    const listed = new Set(m.sources.batches.map((b) => `${b.deviceId}/${b.seq}/${b.hash}`));
    expect(m.sources.unsealedRecords).toBe(0);

    for (const format of ExportFormat.options) {
      const lines = jsonl(join(out, `${format}.jsonl`));
      expect(lines.length, format).toBeGreaterThan(0);
      expect(existsSync(join(out, `${format}.parquet`)), `${format}.parquet`).toBe(true);
      const side = format === 'chat-sft' || format === 'chat-preference' ? jsonl(join(out, `${format}.meta.jsonl`)) : null;
      for (const [i, line] of lines.entries()) {
        expect(schemaProblems(`export-${format}`, line), `${format} line ${i + 1}`).toEqual([]);
        if (format === 'full') {
          for (const a of line.annotations as { id: string; batch: unknown }[]) expect(a.batch, `full line ${i + 1}`).toEqual(w.batches.get(a.id));
          continue;
        }
        if (side) expect(schemaProblems('export-side', side[i]), `${format} side line ${i + 1}`).toEqual([]);
        const meta = (side ? side[i]!.metadata : line.metadata) as { sources: string[] };
        for (const s of meta.sources) {
          const b = w.batches.get(s.split(':')[1]!);
          expect(b, `${format} line ${i + 1}: ${s} came in a batch this workstation received`).toBeDefined();
          expect(listed.has(`${b!.deviceId}/${b!.seq}/${b!.hash}`), `${format} line ${i + 1}: its batch is listed in the signed manifest`).toBe(true);
        }
      }
    }

    const ok = await cli(['export', 'verify', out, '--trust', w.keyFile]);
    expect(ok.code, ok.err).toBe(0);
    const file = join(out, 'sft.jsonl');
    const bytes = readFileSync(file);
    const at = bytes.length - 10;
    bytes[at] = bytes[at]! ^ 0x20;
    writeFileSync(file, bytes);
    const bad = await cli(['export', 'verify', out, '--trust', w.keyFile]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('sft.jsonl: content differs from the signed manifest');
  });

  it('pins one line per format against the TRL and chat-completions shapes, field by field', async () => {
    const out = join(tmp.dir, 'pinned');
    expect((await cli(['export', '--data', w.dataDir, '--format', 'all', '--out', out, '--bundle', 'sample.clinical-triage'])).code).toBe(0);
    const c2 = w.clinical.tasks.get('clin-002')!.task as Extract<Task, { kind: 'compare' }>;
    const [r1, r2] = c2.responses;
    const byTask = (format: string) => jsonl(join(out, `${format}.jsonl`));
    const taskOf = (l: Record<string, unknown>) => (l.metadata as { task: string }).task;

    // TRL preference, standard form: prompt, chosen, rejected are strings; prompt + chosen reads as the dialogue.
    const dpo = byTask('dpo').find((l) => taskOf(l) === 'sample.clinical-triage/clin-002')!;
    expect(Object.keys(dpo).sort()).toEqual(['chosen', 'metadata', 'prompt', 'rejected']);
    expect(dpo).toMatchObject({ prompt: textPrompt(contextMessages(c2.context)), chosen: ` ${r1!.content}`, rejected: ` ${r2!.content}` });

    // Chat-completions preference: input.messages, preferred_output and non_preferred_output as assistant message lists, nothing else.
    const pref = byTask('chat-preference')[0]!;
    expect(Object.keys(pref).sort()).toEqual(['input', 'non_preferred_output', 'preferred_output']);
    expect(pref).toEqual({ input: { messages: c2.context.map((m) => ({ role: m.role, content: m.content })) }, preferred_output: [{ role: 'assistant', content: r1!.content }], non_preferred_output: [{ role: 'assistant', content: r2!.content }] });

    // TRL language modeling, conversational: {"messages"} ending with the corrected answer.
    const e7 = w.clinical.tasks.get('clin-007')!.task as Extract<Task, { kind: 'exemplar' }>;
    const sft = byTask('sft').find((l) => taskOf(l) === 'sample.clinical-triage/clin-007')!;
    expect(Object.keys(sft).sort()).toEqual(['messages', 'metadata']);
    expect(sft.messages).toEqual([...e7.context.map((m) => ({ role: m.role, content: m.content })), { role: 'assistant', content: 'Sepsis screen positive: NEWS2 7; start the sepsis six within the hour.' }]);

    // Chat-completions supervised: {"messages"} only; the row's id and sources are in the side file.
    const chatSft = byTask('chat-sft')[0]!;
    expect(Object.keys(chatSft)).toEqual(['messages']);
    expect((chatSft.messages as { role: string }[]).at(-1)).toEqual({ role: 'assistant', content: 'Sepsis screen positive: NEWS2 7; start the sepsis six within the hour.' });

    // TRL unpaired preference: prompt and completion strings, label a boolean (the preferred response true).
    const kto = byTask('kto').filter((l) => taskOf(l) === 'sample.clinical-triage/clin-002');
    expect(kto.map((l) => Object.keys(l).sort())).toEqual([['completion', 'label', 'metadata', 'prompt'], ['completion', 'label', 'metadata', 'prompt']]);
    expect(kto.map((l) => [l.completion, l.label])).toEqual([[` ${r1!.content}`, true], [` ${r2!.content}`, false]]);

    // TRL stepwise supervision: a prompt string, one completion per step, one boolean label per completion, up to the first error.
    const prm = byTask('prm')[0]!;
    expect(Object.keys(prm).sort()).toEqual(['completions', 'labels', 'metadata', 'prompt']);
    const completions = prm.completions as string[];
    const labels = prm.labels as boolean[];
    expect(typeof prm.prompt).toBe('string');
    expect(labels).toHaveLength(completions.length);
    expect(labels.at(-1)).toBe(false);
    expect(labels.slice(0, -1).every((l) => l)).toBe(true);

    // full: the task with every record and its provenance.
    const full = byTask('full').find((l) => (l.task as { id: string }).id === 'clin-002')!;
    expect(full).toMatchObject({ bundle: { id: 'sample.clinical-triage', version: 1 }, taskHash: w.clinical.tasks.get('clin-002')!.hash, policy: 'adjudicated', adjudication: { reviewerName: 'Rita Reviewer' } });
    expect((full.annotations as { annotatorName: string; deviceId: string; batch: { seq: number } }[]).map((a) => [a.annotatorName, a.deviceId, a.batch.seq]).sort()).toEqual([
      ['Ada Annotator', 'dev-ada-annotator', 1],
      ['Ben Annotator', 'dev-ben-annotator', 1],
    ]);
  });

  it('the conversational forms and the filters', async () => {
    const out = join(tmp.dir, 'conv');
    const r = await cli(['export', '--data', w.dataDir, '--format', 'dpo,kto', '--conversational', '--kind', 'compare', '--min-agreement', '1', '--out', out, '--policy', 'unanimous']);
    expect(r.code, r.err).toBe(0);
    for (const f of ['dpo', 'kto']) for (const l of jsonl(join(out, `${f}.jsonl`))) expect(schemaProblems(`export-${f}-conversational`, l)).toEqual([]);
    expect(manifestOf(out).units.excluded).toMatchObject({ kind: 3 });
    const bad = await cli(['export', '--data', w.dataDir, '--format', 'dpo', '--out', join(tmp.dir, 'x'), '--min-agreement', 'high']);
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining('--min-agreement: "high" is not a number between -1 and 1') });
    const exists = await cli(['export', '--data', w.dataDir, '--format', 'dpo', '--out', out]);
    expect(exists).toMatchObject({ code: 1, err: expect.stringContaining('already exists') });
  });

  it('bundle derive --from-failures: the next version holds an exemplar task per failed step, linked to its annotations, and the candidate as draft guidance; bundle build accepts it', async () => {
    const src = join(tmp.dir, 'next-clinical');
    const r = await cli(['bundle', 'derive', 'sample.clinical-triage', '--from-failures', '--data', w.dataDir, '--out', src]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('source of sample.clinical-triage v2: 1 exemplar tasks from failures (1 step_error); 1 guideline candidates');
    const lines = readFileSync(join(src, 'tasks.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Task);
    expect(lines).toHaveLength(15);
    const fix = lines.at(-1)!;
    const ben = [...w.records.values()].find((a) => a.taskId === 'clin-012')!;
    expect(fix).toMatchObject({ id: 'clin-012.fix-s13', kind: 'exemplar', metadata: { derivedFrom: { taskId: 'clin-012', taskHash: w.clinical.tasks.get('clin-012')!.hash, step: 's13' }, annotatorCorrections: ['Check the current guidance before answering.'] } });
    const sources = (fix.metadata as { derivedFrom: { sources: string[] } }).derivedFrom.sources;
    expect(sources).toContain(`annotation:${ben.id}`);
    expect(sources.some((s) => s.startsWith('adjudication:'))).toBe(true);
    expect(readFileSync(join(src, 'guidelines.md'), 'utf8')).toMatch(/## DRAFT: guidance from recurring assumptions[\s\S]*- Assumed she was weighed on admission, as the note says\. _\(task clin-002; marked by Test admin\)_/);
    const keyFile = join(tmp.dir, 'org.private.jwk');
    writeFileSync(keyFile, JSON.stringify(SAMPLE_KEY));
    const built = await cli(['bundle', 'build', src, '--key', keyFile, '--out', join(tmp.dir, 'next-clinical.cbundle')]);
    expect(built.code, built.err).toBe(0);
    const again = await cli(['bundle', 'derive', 'sample.clinical-triage', '--from-failures', '--data', w.dataDir, '--out', src]);
    expect(again).toMatchObject({ code: 1, err: expect.stringContaining('not empty') });
  });
});
