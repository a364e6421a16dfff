import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildBundle, formatProblem, ProblemsError, validateSource } from '../../shared/node/bundle/index.ts';
import { run } from '../../electron/cli/main.ts';
import { ORG_KEY } from '../support/fixture-keys.ts';
import { workstation } from '../support/workstation.ts';

const MINIMAL = fileURLToPath(new URL('../fixtures/bundle-src/minimal', import.meta.url));
const NOW = new Date('2026-06-01T00:00:00Z');

let dir: string;
let src: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-build-'));
  src = join(dir, 'src');
  cpSync(MINIMAL, src, { recursive: true });
});

const problemsOf = async (p: Promise<unknown>) => {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ProblemsError);
  return (e as ProblemsError).problems.map(formatProblem);
};

describe('bundle build reports every problem at once, with file, line and field', () => {
  it('finds all of them in one run and writes nothing', async () => {
    const rubric = JSON.parse(readFileSync(join(src, 'rubric.json'), 'utf8')) as { criteria: { scale: { points?: unknown[] } }[] };
    rubric.criteria[0]!.scale.points = [];
    writeFileSync(join(src, 'rubric.json'), JSON.stringify(rubric));
    const ok = (id: string, extra: object = {}) => JSON.stringify({ id, kind: 'exemplar', context: [{ role: 'user', content: 'Q' }], draft: 'D', ...extra });
    const lines = [
      Buffer.from(JSON.stringify({ id: 'c1', kind: 'compare', context: [{ role: 'user', content: 'Q' }], responses: [{ id: 'r1', content: 'only one' }] })),
      Buffer.from(ok('e1', { tags: ['no-such-tag'] })),
      Buffer.from(ok('e2')),
      Buffer.from(ok('e2')),
      Buffer.concat([Buffer.from('{"id":"e3","kind":"exemplar","context":[{"role":"user","content":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}],"draft":"D"}')]),
      Buffer.from('{"id": "e4", '),
    ];
    writeFileSync(join(src, 'tasks.jsonl'), Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
    const out = join(dir, 'out.cbundle');
    const problems = await problemsOf(buildBundle({ sourceDir: src, key: ORG_KEY.privateJwk, outFile: out, now: NOW }));
    expect(problems).toEqual([
      'rubric.json: criteria[0].scale.points: a Likert scale needs at least two labelled points',
      'tasks.jsonl: line 1: task c1.responses: a compare task needs at least 2 responses',
      'tasks.jsonl: line 2: task e1.tags[0]: "no-such-tag" is not a tag in taxonomy.json',
      'tasks.jsonl: line 4: id: duplicate task id "e2" (first on line 3)',
      'tasks.jsonl: line 5: is not valid UTF-8',
      expect.stringMatching(/^tasks\.jsonl: line 6: invalid JSON/),
    ]);
    expect(() => readFileSync(out)).toThrow();
  });

  it('names the allowed task kinds when a task has an unknown one', async () => {
    writeFileSync(join(src, 'tasks.jsonl'), `${JSON.stringify({ id: 'clin-008', kind: 'rank', context: [{ role: 'user', content: 'Q' }] })}\n`);
    const r = await validateSource({ sourceDir: src, now: NOW });
    expect(r.problems.map(formatProblem)).toEqual(['tasks.jsonl: line 1: task clin-008.kind: must be one of "compare", "exemplar" or "trajectory" (got "rank")']);
  });

  it('refuses an assignment that needs more annotators per task than it names', async () => {
    writeFileSync(join(src, 'bundle.json'), JSON.stringify({ format: 'casebook.bundle/1', id: 'x.y', version: 1, title: 'T', assignment: { perTask: 3, annotators: ['Ada', 'Grace'] } }));
    const r = await validateSource({ sourceDir: src, now: NOW });
    expect(r.problems.map(formatProblem)).toEqual(['bundle.json: assignment.perTask: asks for 3 annotators per task but names only 2']);
  });

  it('validateSource gives the same report plus counts and a preview, without writing', async () => {
    const r = await validateSource({ sourceDir: src, previewCount: 2, now: NOW });
    expect(r).toMatchObject({ problems: [], truncated: false, taskCount: 3, goldCount: 1, taskCounts: { compare: 1, exemplar: 1, trajectory: 1 } });
    expect(r.preview.map((t) => t.id)).toEqual(['t-compare', 't-exemplar']);
  });
});

const JSONL_MAPPING = {
  format: 'casebook.mapping/1',
  kind: 'compare',
  id: 'uid',
  prompt: 'prompt',
  system: 'meta.system',
  responses: { list: 'outputs', content: 'text', model: 'model' },
  goldPreferred: 'gold',
};

describe('bundle build from plain inputs', () => {
  beforeEach(() => rmSync(join(src, 'tasks.jsonl')));

  it('builds from a JSONL of prompts with model outputs, and a second workstation imports it', async () => {
    const rows = [
      { uid: 'q1', prompt: 'Max paracetamol for 45 kg?', meta: { system: 'Be careful.' }, outputs: [{ text: '4 g', model: 'a' }, { text: '2.7 g', model: 'b' }], gold: 'r2' },
      { uid: 'q2', prompt: 'Limitation on a deed?', outputs: [{ text: '6 years', model: 'a' }, { text: '12 years', model: 'b' }, { text: 'none', model: 'c' }] },
    ];
    writeFileSync(join(dir, 'prompts.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(join(dir, 'map.json'), JSON.stringify(JSONL_MAPPING));
    const out = join(dir, 'from-jsonl.cbundle');
    const io = { out: () => undefined, err: () => undefined };
    writeFileSync(join(dir, 'org.jwk'), JSON.stringify(ORG_KEY.privateJwk));
    expect(await run(['bundle', 'build', src, '--key', join(dir, 'org.jwk'), '--out', out, '--from-jsonl', join(dir, 'prompts.jsonl'), '--mapping', join(dir, 'map.json')], io)).toBe(0);

    const ws = await workstation({ now: new Date(), trust: [{ jwk: ORG_KEY.publicJwk, label: 'Org' }] });
    try {
      expect(await ws.core.importBundle(out)).toMatchObject({ outcome: 'imported', taskCount: 2 });
      await ws.core.call('identity.setup', { displayName: 'Ada', role: 'annotator' });
      const opened = await ws.core.call('tasks.open', { bundleId: 'test.minimal', taskId: 'q1' });
      expect(opened.ok).toBe(true);
      const task = (opened.ok ? opened.result : null) as { task: Record<string, unknown> };
      expect(task.task).toMatchObject({ kind: 'compare', context: [{ role: 'system', content: 'Be careful.' }, { role: 'user', content: 'Max paracetamol for 45 kg?' }] });
      expect(task.task.responses).toEqual([{ id: 'r1', content: '4 g' }, { id: 'r2', content: '2.7 g' }]); // blinded
      expect(task.task).not.toHaveProperty('gold'); // annotators never see gold
    } finally {
      await ws.dispose();
    }
  });

  it('builds from a CSV with quoted fields and embedded line breaks', async () => {
    writeFileSync(
      join(dir, 'tasks.csv'),
      'task_id,question,answer_a,answer_b,better\r\n' + 'c1,"Dose, adult?","Line one\r\nline two","Say ""no""",r1\r\n' + 'c2,Plain?,yes,no,\r\n',
    );
    writeFileSync(
      join(dir, 'map.json'),
      JSON.stringify({ format: 'casebook.mapping/1', kind: 'compare', id: 'task_id', prompt: 'question', responses: [{ content: 'answer_a' }, { content: 'answer_b' }], goldPreferred: 'better' }),
    );
    const r = await validateSource({ sourceDir: src, tasks: { from: 'csv', file: join(dir, 'tasks.csv'), mappingFile: join(dir, 'map.json') }, previewCount: 2 });
    expect(r.problems).toEqual([]);
    expect(r.preview[0]).toEqual({
      id: 'c1',
      kind: 'compare',
      context: [{ role: 'user', content: 'Dose, adult?' }],
      responses: [{ id: 'r1', content: 'Line one\r\nline two' }, { id: 'r2', content: 'Say "no"' }],
      gold: { preferred: 'r1' },
    });
    expect(r.goldCount).toBe(1);
  });

  it('maps the model and model version that produced each response or draft (JSONL lists and CSV columns)', async () => {
    writeFileSync(join(dir, 'outputs.jsonl'), JSON.stringify({ uid: 'q1', prompt: 'Dose?', outputs: [{ text: '4 g', model: 'm', v: 3 }, { text: '2 g', model: 'm', v: '' }] }) + '\n');
    writeFileSync(join(dir, 'map.json'), JSON.stringify({ ...JSONL_MAPPING, responses: { list: 'outputs', content: 'text', model: 'model', modelVersion: 'v' } }));
    const fromJsonl = await validateSource({ sourceDir: src, tasks: { from: 'jsonl', file: join(dir, 'outputs.jsonl'), mappingFile: join(dir, 'map.json') }, previewCount: 1 });
    expect(fromJsonl.problems).toEqual([]);
    // A number is a version too; an empty one is no version.
    expect(fromJsonl.preview[0]).toMatchObject({ responses: [{ id: 'r1', model: 'm', modelVersion: '3' }, { id: 'r2', model: 'm' }] });
    expect((fromJsonl.preview[0] as { responses: object[] }).responses[1]).not.toHaveProperty('modelVersion');

    writeFileSync(join(dir, 'drafts.csv'), 'id,q,draft,model,version\ne1,Deed?,Six years,m-draft,2026-04\n');
    writeFileSync(join(dir, 'map.json'), JSON.stringify({ format: 'casebook.mapping/1', kind: 'exemplar', id: 'id', prompt: 'q', draft: 'draft', model: 'model', modelVersion: 'version' }));
    const fromCsv = await validateSource({ sourceDir: src, tasks: { from: 'csv', file: join(dir, 'drafts.csv'), mappingFile: join(dir, 'map.json') }, previewCount: 1 });
    expect(fromCsv.problems).toEqual([]);
    expect(fromCsv.preview[0]).toMatchObject({ kind: 'exemplar', draft: 'Six years', model: 'm-draft', modelVersion: '2026-04' });
  });

  it('reports CSV and mapping problems with the CSV line', async () => {
    writeFileSync(join(dir, 'tasks.csv'), 'task_id,question,answer_a,answer_b\n' + 'c1,,a,b\n' + 'c2,"Q",a\n' + 'c3,"two\nlines",a,a2\n' + 'c3,Q,a,b\n');
    writeFileSync(join(dir, 'map.json'), JSON.stringify({ format: 'casebook.mapping/1', kind: 'compare', id: 'task_id', prompt: 'question', responses: [{ content: 'answer_a' }, { content: 'answer_b' }] }));
    const r = await validateSource({ sourceDir: src, tasks: { from: 'csv', file: join(dir, 'tasks.csv'), mappingFile: join(dir, 'map.json') } });
    expect(r.problems.map(formatProblem)).toEqual([
      'tasks.csv: line 2: question: must be non-empty text',
      'tasks.csv: line 3: has 3 fields, the header has 4',
      'tasks.csv: line 6: id: duplicate task id "c3" (first on line 4)',
    ]);
  });
});

describe('casebook bundle inspect', () => {
  it('prints the manifest, signer, counts per kind and a sample task without importing', async () => {
    const out = join(dir, 'b.cbundle');
    await buildBundle({ sourceDir: src, key: ORG_KEY.privateJwk, outFile: out });
    writeFileSync(join(dir, 'org.pub.jwk'), JSON.stringify({ ...ORG_KEY.publicJwk, label: 'Test org' }));
    const lines: string[] = [];
    expect(await run(['bundle', 'inspect', out, '--trust', join(dir, 'org.pub.jwk')], { out: (l) => lines.push(l), err: () => undefined })).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/^test\.minimal v1 {2}Minimal test bundle/);
    expect(text).toMatch(/signed by {2}Test org {2}\(fingerprint ([0-9a-f]{4} ){9}[0-9a-f]{4}\)/);
    expect(text).toMatch(/tasks {6}3: 1 compare, 1 exemplar, 1 trajectory; 1 with gold answers/);
    expect(text).toMatch(/tasks\.jsonl +\d+ bytes {2}sha256 [0-9a-f]{64}/);
    expect(text).toMatch(/sample task\n\{\n {2}"id": "t-compare"/);
  });
});
