import crypto, { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { datasetCard, type AgreementFigure } from '../../export/card.ts';
import { convertDecided, fullRow, isFilterExclusion, lineSchema, METADATA_PLACEMENT, type HashFn, type RowFormat } from '../../export/convert.ts';
import { EXPORT_MANIFEST_FILE, EXPORT_MANIFEST_FORMAT, type BundleEntry, type DatasetEntry, type ExportManifest, type ExportSummary, type ManifestEntry } from '../../export/manifest.ts';
import { ExportFormat, ExportOptions, type ExportOptionsInput } from '../../export/options.ts';
import { selectUnit, type Decided } from '../../export/select.ts';
import type { BatchRef, ExportUnit } from '../../export/unit.ts';
import { keyId, toPublic, type PrivateJwk } from '../keys.ts';
import { JsonlWriter, type WrittenFile } from './jsonl.ts';
import { signManifest, fileSha256 } from './manifest.ts';
import { ParquetFile, parquetLayout } from './parquet.ts';

export interface ExportDatasetOptions {
  /** One data file per format, all from one pass over the units. */
  formats: readonly ExportFormat[];
  /** Policy, pairing, filters and format switches (defaults: adjudicated, all-pairs, gold and open escalations left out). */
  options?: ExportOptionsInput;
  /** Also write `<format>.parquet` beside each JSONL file. */
  parquet?: boolean;
  /** Signs the manifest (the exporting workstation's or server's key). */
  key: PrivateJwk;
  title?: string;
  description?: string;
  /** Agreement figures from the agreement library, shown on the dataset card. */
  agreement?: readonly AgreementFigure[];
  /** e.g. "casebook 0.1.0", recorded in the manifest and the card. */
  generator?: string;
  now?: () => Date;
  /** Called every `progressEvery` tasks and once at the end. */
  onProgress?: (p: { units: number; rows: number; done: boolean }) => void;
  progressEvery?: number;
}

export interface ExportResult {
  dir: string;
  manifest: ExportManifest;
}

/** Why an export could not be made (the folder is left as it was). */
export class ExportError extends Error {
  override name = 'ExportError';
}

// crypto.hash (Node 20.12+) skips the Hash object: row ids are one small hash per row.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const nodeHash: HashFn = oneShot ? (t) => oneShot('sha256', t, 'hex') : (t) => createHash('sha256').update(t).digest('hex');

interface Output {
  format: ExportFormat;
  entry: DatasetEntry;
  data: JsonlWriter;
  side: JsonlWriter | null;
  parquet: ParquetFile | null;
}

function countReason(into: Record<string, number>, reason: string): void {
  into[reason] = (into[reason] ?? 0) + 1;
}

/**
 * Streams export units into a folder: one JSONL file per format (and its side file and Parquet
 * where they apply), the dataset card and the signed manifest. Everything is written into a
 * fresh sibling folder that is renamed to `outDir` only when complete, so a failed or
 * interrupted export leaves nothing behind and an existing folder is never touched.
 */
export async function exportDataset(units: AsyncIterable<ExportUnit> | Iterable<ExportUnit>, opts: ExportDatasetOptions, outDir: string): Promise<ExportResult> {
  const formats = [...new Set(opts.formats)];
  if (formats.length === 0) throw new ExportError('choose at least one export format');
  for (const f of formats) if (!ExportFormat.safeParse(f).success) throw new ExportError(`unknown export format "${f}" (one of ${ExportFormat.options.join(', ')})`);
  const parsed = ExportOptions.safeParse(opts.options ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ExportError(`export options: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  const options = parsed.data;
  const target = resolve(outDir);
  if (await exists(target)) throw new ExportError(`${outDir}: already exists; choose a new folder for the export`);
  await mkdir(dirname(target), { recursive: true });
  const staging = join(dirname(target), `.${basename(target)}.partial-${randomBytes(6).toString('hex')}`);
  await mkdir(staging, { mode: 0o700 });

  const outputs: Output[] = [];
  try {
    for (const format of formats) {
      const side = METADATA_PLACEMENT[format] === 'side-file';
      const conversational = (format === 'dpo' || format === 'kto') && options.conversational;
      outputs.push({
        format,
        entry: { format, conversational, rows: 0, staleRows: 0, modelDropped: 0, noRows: {}, data: `${format}.jsonl`, side: side ? `${format}.meta.jsonl` : null, parquet: opts.parquet ? `${format}.parquet` : null },
        data: await JsonlWriter.create(join(staging, `${format}.jsonl`)),
        side: side ? await JsonlWriter.create(join(staging, `${format}.meta.jsonl`)) : null,
        parquet: opts.parquet ? new ParquetFile(join(staging, `${format}.parquet`), parquetLayout(lineSchema(format, conversational))) : null,
      });
    }
    const rowOutputs = outputs.filter((o): o is Output & { format: RowFormat } => o.format !== 'full');
    const full = outputs.find((o) => o.format === 'full') ?? null;

    const unitsSummary: ExportSummary['units'] = { seen: 0, selected: 0, excluded: {}, agreement: { tasks: 0, mean: null, min: null } };
    let agreementSum = 0;
    const bundles = new Map<string, BundleEntry & { versionSet: Set<number> }>();
    const batches = new Batches();
    let totalRows = 0;
    const every = opts.progressEvery ?? 1000;

    for await (const unit of units) {
      unitsSummary.seen++;
      const selection = selectUnit(unit, options);
      const filtered = 'excluded' in selection && isFilterExclusion(selection.excluded);
      if ('excluded' in selection) countReason(unitsSummary.excluded, selection.excluded);
      if (!filtered) noteBundle(bundles, unit);
      // The records behind what this task wrote: all of them for a full line, else those its rows name.
      let used: Decided['records'] = [];
      if (full && !filtered) {
        const line = fullRow(unit, selection, options, nodeHash);
        await write(full, line);
        full.entry.rows++;
        totalRows++;
        used = unit.annotations.map((a): [string, BatchRef | null] => [`annotation:${a.id}`, a.batch]);
        if (unit.adjudication) used.push([`adjudication:${unit.adjudication.id}`, unit.adjudication.batch]);
      }
      if ('decided' in selection) {
        unitsSummary.selected++;
        if (unit.agreement !== null) {
          unitsSummary.agreement.tasks++;
          agreementSum += unit.agreement;
          unitsSummary.agreement.min = Math.min(unitsSummary.agreement.min ?? unit.agreement, unit.agreement);
        }
        let produced = false;
        for (const out of rowOutputs) {
          const c = convertDecided(out.format, unit, selection.decided, options, nodeHash);
          for (const reason of c.noRows) countReason(out.entry.noRows, reason);
          out.entry.modelDropped += c.modelDropped;
          out.entry.staleRows += c.stale;
          for (const row of c.rows) {
            await write(out, row.line);
            if (out.side) {
              const p = out.side.write({ line: out.entry.rows + 1, metadata: row.metadata });
              if (p) await p;
            }
            out.entry.rows++;
            totalRows++;
            produced = true;
          }
        }
        if (produced && used.length === 0) used = recordsOf(selection.decided);
      }
      batches.note(used);
      if (opts.onProgress && unitsSummary.seen % every === 0) opts.onProgress({ units: unitsSummary.seen, rows: totalRows, done: false });
    }
    if (unitsSummary.agreement.tasks > 0) unitsSummary.agreement.mean = agreementSum / unitsSummary.agreement.tasks;

    const files: ManifestEntry[] = [];
    for (const out of outputs) {
      files.push(entryOf(await out.data.close()));
      if (out.side) files.push(entryOf(await out.side.close()));
      if (out.parquet) {
        out.parquet.close();
        files.push(await fileEntry(out.parquet.path, out.parquet.rows));
      }
    }

    const summary: ExportSummary = {
      format: EXPORT_MANIFEST_FORMAT,
      createdAt: (opts.now?.() ?? new Date()).toISOString(),
      generator: opts.generator ?? 'casebook',
      title: opts.title ?? 'Casebook export',
      options,
      datasets: outputs.map((o) => o.entry),
      units: unitsSummary,
      bundles: [...bundles.values()].map(({ versionSet, ...b }) => ({ ...b, versions: [...versionSet].sort((x, y) => x - y) })).sort((a, b) => (a.id < b.id ? -1 : 1)),
      sources: batches.summary(),
    };
    const card = datasetCard({ summary, ...(opts.description ? { description: opts.description } : {}), ...(opts.agreement ? { agreement: opts.agreement } : {}), signerKeyId: keyId(toPublic(opts.key)) });
    await writeFile(join(staging, 'README.md'), card, { flag: 'wx' });
    files.push(await fileEntry(join(staging, 'README.md'), null));
    const manifest: ExportManifest = { ...summary, files };
    await writeFile(join(staging, EXPORT_MANIFEST_FILE), JSON.stringify(signManifest(manifest, opts.key), null, 2) + '\n', { flag: 'wx' });
    // Whoever made `outDir` meanwhile wins: rename refuses to replace a non-empty folder.
    await rename(staging, target).catch((e: NodeJS.ErrnoException) => {
      throw new ExportError(`${outDir}: cannot be created (${e.code ?? e.message}); nothing was written there`);
    });
    opts.onProgress?.({ units: unitsSummary.seen, rows: totalRows, done: true });
    return { dir: target, manifest };
  } catch (e) {
    await Promise.all(outputs.flatMap((o) => [o.data.abort(), o.side?.abort()]));
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}

async function write(out: Output, line: unknown): Promise<void> {
  const p = out.data.write(line);
  out.parquet?.add(line as Record<string, unknown>);
  if (p) await p;
}

/** The distinct records behind a task's chosen answers (under `all`, several answers). */
function recordsOf(decided: readonly Decided[]): Decided['records'] {
  if (decided.length === 1) return decided[0]!.records;
  const seen = new Map<string, BatchRef | null>();
  for (const d of decided) for (const [k, b] of d.records) seen.set(k, b);
  return [...seen.entries()];
}

/** The signed batches behind an export, and how many records were not in one yet. */
class Batches {
  private readonly byDevice = new Map<string, Map<number, BatchRef>>();
  private records = 0;
  private unsealed = 0;

  note(records: Decided['records']): void {
    for (const [, b] of records) {
      this.records++;
      if (b === null) {
        this.unsealed++;
        continue;
      }
      let seqs = this.byDevice.get(b.deviceId);
      if (!seqs) this.byDevice.set(b.deviceId, (seqs = new Map()));
      if (!seqs.has(b.seq)) seqs.set(b.seq, b);
    }
  }

  summary(): ExportSummary['sources'] {
    const devices = [...this.byDevice.keys()].sort();
    const batches = devices.flatMap((d) => [...this.byDevice.get(d)!.values()].sort((x, y) => x.seq - y.seq));
    return { records: this.records, unsealedRecords: this.unsealed, batches };
  }
}

function noteBundle(bundles: Map<string, BundleEntry & { versionSet: Set<number> }>, unit: ExportUnit): void {
  const b = unit.bundle;
  const seen = bundles.get(b.id);
  if (seen) {
    seen.versionSet.add(b.version);
    // The newest version's settings describe the bundle.
    if (b.version >= Math.max(...seen.versionSet)) Object.assign(seen, bundleSettings(b));
    return;
  }
  bundles.set(b.id, { id: b.id, versions: [], versionSet: new Set([b.version]), ...bundleSettings(b) });
}

function bundleSettings(b: ExportUnit['bundle']): Pick<BundleEntry, 'title' | 'license' | 'currentModel'> {
  return { ...(b.title !== undefined ? { title: b.title } : {}), ...(b.license !== undefined ? { license: b.license } : {}), ...(b.currentModel !== undefined ? { currentModel: b.currentModel } : {}) };
}

function entryOf(f: WrittenFile): ManifestEntry {
  return { path: basename(f.path), size: f.size, sha256: f.sha256, rows: f.rows };
}

async function fileEntry(path: string, rows: number | null): Promise<ManifestEntry> {
  return { path: basename(path), size: (await stat(path)).size, sha256: await fileSha256(path), rows };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
