import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPORT_MANIFEST_FILE, type ExportFormat, type ExportUnit } from '../../shared/export/index.ts';
import { ExportError, exportDataset, verifyExport, ExportVerifyError, type ExportDatasetOptions } from '../../shared/node/export/index.ts';
import { signEnvelope } from '../../shared/node/dsse.ts';
import { generateKeyPair } from '../../shared/node/keys.ts';
import { batchOf, compareTask, correct, exemplarTask, judgeSteps, prefer, trajectoryTask, unit } from '../support/export-units.ts';
import { schemaProblems } from '../support/schema-check.ts';

const dir = mkdtempSync(join(tmpdir(), 'cb-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = generateKeyPair();
const NOW = new Date('2026-05-12T09:00:00.000Z');
const ALL: ExportFormat[] = ['sft', 'dpo', 'chat-preference', 'chat-sft', 'kto', 'prm', 'full'];

function units(): ExportUnit[] {
  const t = trajectoryTask('t1');
  const bundle = { id: 'b.test', version: 2, title: 'Triage', license: 'cc-by-4.0', currentModel: { name: 'm', version: 'v3', earlier: ['v1', 'v2'] } };
  return [
    unit(compareTask('c1', 3), {
      bundle,
      annotations: [
        { who: 'ada', answer: prefer('r2', [['r2'], ['r1'], ['r3']]), batch: batchOf('dev-ada', 4) },
        { who: 'ben', answer: prefer('r2'), batch: batchOf('dev-ben', 9) },
      ],
      adjudicate: prefer('r2', [['r2'], ['r1'], ['r3']]),
      agreement: 0.62,
    }),
    unit(compareTask('c2'), { bundle, annotations: [{ who: 'ada', answer: prefer('tie'), batch: batchOf('dev-ada', 4) }], adjudicate: prefer('tie'), agreement: 1 }),
    unit(exemplarTask('e1'), { bundle, annotations: [{ who: 'ada', answer: correct('A careful answer.'), batch: null }], adjudicate: correct('A careful answer.') }),
    unit(t, { bundle, annotations: [{ who: 'ben', answer: judgeSteps(t, ['good', 'good', 'good', 'good', 'error', 'good'], 's5', { s5: 'Keep 5 mg.' }) }], adjudicate: judgeSteps(t, ['good', 'good', 'good', 'good', 'error', 'good'], 's5', { s5: 'Keep 5 mg.' }) }),
    unit(compareTask('gold'), { bundle, gold: true, annotations: [{ who: 'ada', answer: prefer('r1') }], adjudicate: prefer('r1') }),
    unit(compareTask('open'), { bundle, open: 1, annotations: [{ who: 'ada', answer: prefer('r1') }], adjudicate: prefer('r1') }),
    unit(compareTask('undecided'), { bundle, annotations: [{ who: 'ada', answer: prefer('r1') }] }),
  ];
}

let n = 0;
const out = () => join(dir, `export-${++n}`);
const base = (o: Partial<ExportDatasetOptions> = {}): ExportDatasetOptions => ({ formats: ALL, key: key.privateJwk, now: () => NOW, generator: 'casebook test', title: 'Triage preferences', ...o });
const jsonl = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

async function* slowly(list: ExportUnit[], failAt = -1): AsyncGenerator<ExportUnit> {
  for (const [i, u] of list.entries()) {
    if (i === failAt) throw new Error('the read model broke');
    await new Promise((r) => setImmediate(r));
    yield u;
  }
}

describe('exportDataset', () => {
  it('writes every format, its side file and Parquet, a dataset card and a manifest that verifies', async () => {
    const target = out();
    const progress: number[] = [];
    const r = await exportDataset(slowly(units()), base({ parquet: true, options: { fromTrajectories: true }, agreement: [{ label: 'Preference, α (nominal)', value: 0.58, n: 2 }], onProgress: (p) => progress.push(p.units), progressEvery: 2 }), target);
    expect(readdirSync(target).sort()).toEqual(
      [...ALL.flatMap((f) => [`${f}.jsonl`, `${f}.parquet`]), 'chat-preference.meta.jsonl', 'chat-sft.meta.jsonl', 'README.md', EXPORT_MANIFEST_FILE].sort(),
    );
    expect(progress).toEqual([2, 4, 6, 7]);
    const m = (await verifyExport(target, [key.publicJwk])).manifest;
    expect(m).toEqual(r.manifest);

    // Tasks: gold and the open escalation are filtered out; "undecided" has no adjudication.
    expect(m.units).toEqual({ seen: 7, selected: 4, excluded: { gold: 1, escalated: 1, not_adjudicated: 1 }, agreement: { tasks: 2, mean: 0.81, min: 0.62 } });
    const counts = Object.fromEntries(m.datasets.map((d) => [d.format, d.rows]));
    expect(counts).toEqual({ sft: 2, dpo: 5, 'chat-preference': 5, 'chat-sft': 2, kto: 5, prm: 1, full: 5 });
    const dpo = m.datasets.find((d) => d.format === 'dpo')!;
    expect(dpo.noRows).toEqual({ tie: 1 });
    // Responses are from v2, the bundle's current model is v3: the compare pairs are flagged, the exemplar's draft is from v1.
    expect(dpo.staleRows).toBe(4);
    expect(m.sources).toEqual({ records: 10, unsealedRecords: 1, batches: [batchOf('dev-ada', 1), batchOf('dev-ada', 4), batchOf('dev-ben', 1), batchOf('dev-ben', 9), batchOf('dev-rev', 1)] });
    expect(m.bundles).toEqual([{ id: 'b.test', versions: [2], title: 'Triage', license: 'cc-by-4.0', currentModel: { name: 'm', version: 'v3', earlier: ['v1', 'v2'] } }]);
    for (const f of m.files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);

    // Every line validates against its documented schema; side files line up with their data files.
    for (const format of ALL) {
      const data = jsonl(join(target, `${format}.jsonl`));
      expect(data).toHaveLength(counts[format]!);
      for (const line of data) expect(schemaProblems(`export-${format}`, line), format).toEqual([]);
    }
    for (const format of ['chat-sft', 'chat-preference']) {
      const side = jsonl(join(target, `${format}.meta.jsonl`));
      expect(side.map((s) => s.line)).toEqual(side.map((_, i) => i + 1));
      for (const s of side) expect(schemaProblems('export-side', s)).toEqual([]);
    }
    // dpo and chat-preference hold the same pairs in the same order; the ids differ because the format is part of them.
    type Meta = { id: string; sources: string[]; parts: string[] };
    const dpoMeta = jsonl(join(target, 'dpo.jsonl')).map((l) => l.metadata as Meta);
    const chatMeta = jsonl(join(target, 'chat-preference.meta.jsonl')).map((s) => s.metadata as Meta);
    expect(chatMeta.map((x) => [x.sources, x.parts])).toEqual(dpoMeta.map((x) => [x.sources, x.parts]));
    for (const [i, x] of chatMeta.entries()) expect(x.id).not.toBe(dpoMeta[i]!.id);
    expect(new Set(dpoMeta.map((x) => x.id)).size).toBe(dpoMeta.length);
  });

  it('writes Parquet with the same rows and columns as the JSONL for every format, nested messages and JSON-typed columns included', async () => {
    const target = out();
    await exportDataset(units(), base({ formats: ALL, parquet: true, options: { conversational: true, fromTrajectories: true, policy: 'all' } }), target);
    const normalise = (v: unknown): unknown =>
      typeof v === 'bigint' ? Number(v) : Array.isArray(v) ? v.map(normalise) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, normalise(x)])) : v;
    for (const format of ALL) {
      const bytes = readFileSync(join(target, `${format}.parquet`));
      const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
      // Parquet reads an absent optional key back as null, so both sides drop nulls before comparing.
      expect(rows.map(normalise), format).toEqual(jsonl(join(target, `${format}.jsonl`)).map(normalise));
    }
  });

  it('the dataset card has the Hugging Face front matter: licence from the bundle, categories, size, one config per format', async () => {
    const target = out();
    await exportDataset(units(), base({ formats: ['dpo', 'prm'], parquet: true }), target);
    const card = readFileSync(join(target, 'README.md'), 'utf8');
    const front = card.slice(0, card.indexOf('\n---\n', 4) + 5);
    expect(front).toBe(
      [
        '---',
        'pretty_name: "Triage preferences"',
        'license: "cc-by-4.0"',
        'task_categories:',
        '  - "text-generation"',
        '  - "token-classification"',
        'size_categories:',
        '  - "n<1K"',
        'tags:',
        '  - "casebook"',
        '  - "human-feedback"',
        '  - "dpo"',
        '  - "prm"',
        'configs:',
        '  - config_name: "dpo"',
        '    default: true',
        '    data_files:',
        '      - split: "train"',
        '        path: "dpo.parquet"',
        '  - config_name: "prm"',
        '    data_files:',
        '      - split: "train"',
        '        path: "prm.parquet"',
        '---',
        '',
      ].join('\n'),
    );
    expect(card).toContain('| dpo | Preference pairs (TRL, `prompt`/`chosen`/`rejected`) | 4 |');
    expect(card).toContain('policy `adjudicated`');
    expect(card).toContain('left out: gold 1, escalated 1, not adjudicated 1');
  });

  describe('verification refuses an export that is not what was signed', () => {
    const made = async () => {
      const target = out();
      await exportDataset(units(), base({ formats: ['dpo', 'chat-sft'], parquet: true }), target);
      return target;
    };

    it('one flipped byte anywhere in a data file, the side file, the Parquet file or the card', async () => {
      for (const file of ['dpo.jsonl', 'chat-sft.meta.jsonl', 'dpo.parquet', 'README.md']) {
        const target = await made();
        const path = join(target, file);
        const bytes = readFileSync(path);
        for (const at of [0, Math.floor(bytes.length / 2), bytes.length - 1]) {
          const flipped = Buffer.from(bytes);
          flipped[at] = flipped[at]! ^ 0x01;
          writeFileSync(path, flipped);
          await expect(verifyExport(target, [key.publicJwk]), `${file} @${at}`).rejects.toThrow(new ExportVerifyError(`${file}: content differs from the signed manifest (SHA-256 mismatch): the file was altered`));
        }
        writeFileSync(path, bytes);
        await expect(verifyExport(target, [key.publicJwk])).resolves.toBeTruthy();
      }
    });

    it('a line appended, a file removed or added, a manifest from another key or edited after signing', async () => {
      let target = await made();
      appendFileSync(join(target, 'dpo.jsonl'), '{"prompt":"x","chosen":"y","rejected":"z"}\n');
      await expect(verifyExport(target, [key.publicJwk])).rejects.toThrow(/dpo\.jsonl: \d+ bytes, but the signed manifest says \d+/);

      target = await made();
      rmSync(join(target, 'chat-sft.meta.jsonl'));
      await expect(verifyExport(target, [key.publicJwk])).rejects.toThrow('chat-sft.meta.jsonl: missing (the signed manifest lists it)');

      target = await made();
      writeFileSync(join(target, 'extra.jsonl'), '{}\n');
      await expect(verifyExport(target, [key.publicJwk])).rejects.toThrow('extra.jsonl: not listed in the signed manifest');

      target = await made();
      await expect(verifyExport(target, [generateKeyPair().publicJwk])).rejects.toThrow(`${EXPORT_MANIFEST_FILE}: no signature verifies under a trusted key`);

      target = await made();
      const env = JSON.parse(readFileSync(join(target, EXPORT_MANIFEST_FILE), 'utf8')) as { payload: string };
      const payload = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { datasets: { rows: number }[] };
      payload.datasets[0]!.rows += 1;
      writeFileSync(join(target, EXPORT_MANIFEST_FILE), JSON.stringify({ ...env, payload: Buffer.from(JSON.stringify(payload)).toString('base64') }));
      await expect(verifyExport(target, [key.publicJwk])).rejects.toThrow(`${EXPORT_MANIFEST_FILE}: no signature verifies under a trusted key`);

      // A manifest that names a file outside its folder is refused even when properly signed.
      target = await made();
      const good = JSON.parse(Buffer.from((JSON.parse(readFileSync(join(target, EXPORT_MANIFEST_FILE), 'utf8')) as { payload: string }).payload, 'base64').toString('utf8')) as { files: { path: string }[] };
      good.files[0]!.path = '../dpo.jsonl';
      writeFileSync(join(target, EXPORT_MANIFEST_FILE), JSON.stringify(signEnvelope('application/vnd.casebook.export-manifest+json', Buffer.from(JSON.stringify(good)), key.privateJwk)));
      await expect(verifyExport(target, [key.publicJwk])).rejects.toThrow(`${EXPORT_MANIFEST_FILE}: unusable file name "../dpo.jsonl"`);

      await expect(verifyExport(join(dir, 'nothing-here'), [key.publicJwk])).rejects.toThrow(`${EXPORT_MANIFEST_FILE}: cannot read it (ENOENT)`);
    });
  });

  it('never touches an existing folder, and leaves nothing behind when the input fails half-way', async () => {
    const target = out();
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    await expect(exportDataset(units(), base(), dir)).rejects.toThrow(new ExportError(`${dir}: already exists; choose a new folder for the export`));
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('mine');

    const before = readdirSync(dir).sort();
    await expect(exportDataset(slowly(units(), 4), base({ parquet: true }), target)).rejects.toThrow('the read model broke');
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('refuses unknown formats and bad options with the field, before writing anything', async () => {
    const target = out();
    await expect(exportDataset(units(), base({ formats: [] }), target)).rejects.toThrow('choose at least one export format');
    await expect(exportDataset(units(), base({ formats: ['csv' as ExportFormat] }), target)).rejects.toThrow('unknown export format "csv"');
    await expect(exportDataset(units(), base({ options: { policy: 'most' as 'all' } }), target)).rejects.toThrow(/^export options: policy: /);
    await expect(exportDataset(units(), base({ options: { filters: { minAgreement: 2 } } }), target)).rejects.toThrow(/^export options: filters\.minAgreement: /);
    expect(existsSync(target)).toBe(false);
  });

  it('an empty selection still makes a verifiable export with empty files', async () => {
    const target = out();
    const r = await exportDataset([], base({ formats: ['dpo'], parquet: true }), target);
    expect(r.manifest.datasets[0]!.rows).toBe(0);
    expect(readFileSync(join(target, 'dpo.jsonl'), 'utf8')).toBe('');
    await expect(verifyExport(target, [key.publicJwk])).resolves.toBeTruthy();
  });
});
