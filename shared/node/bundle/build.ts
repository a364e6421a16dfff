import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import {
  BUNDLE_FILES,
  BundleSettings,
  MANIFEST_FORMAT,
  MANIFEST_PAYLOAD_TYPE,
  Rubric,
  Taxonomy,
  type BundleFileName,
  type Manifest,
  type Task,
  type TaskKind,
} from '../../domain/index.ts';
import { SignatureError, signEnvelope } from '../dsse.ts';
import { toPublic, type PrivateJwk } from '../keys.ts';
import { readRotationForSigner } from '../rotation.ts';
import { ProblemsError, decodeUtf8, problemsFromZod, type Problem } from './problems.ts';
import { MANIFEST_ENTRY, MAX_ROTATION_BYTES, ROTATION_ENTRY } from './layout.ts';
import { byteLines } from '../lines.ts';
import { TaskChecker, TASKS_FILE } from './task-check.ts';
import { csvTaskRecords, jsonlRecords, Mapping, type MappedRecord } from './mapping.ts';

/** Where a build's tasks come from: the folder's tasks.jsonl, or a plain JSONL/CSV file and a mapping. */
export type TaskInput = { from: 'folder' } | { from: 'jsonl' | 'csv'; file: string; mappingFile: string };

export interface SourceOptions {
  /** Folder with bundle.json, guidelines.md, rubric.json, taxonomy.json (and tasks.jsonl for `from: 'folder'`). */
  sourceDir: string;
  tasks?: TaskInput;
  now?: Date;
  onProgress?: (tasksDone: number) => void;
  /** How many valid tasks to keep for a preview (default 0). */
  previewCount?: number;
}

export interface BuildOptions extends SourceOptions {
  key: PrivateJwk;
  outFile: string;
  /** A rotation statement naming `key` as the successor of an older org key, carried in the bundle. */
  rotationFile?: string;
}

export interface SourceReport {
  problems: Problem[];
  /** More problems were found than are listed. */
  truncated: boolean;
  settings: BundleSettings | null;
  taskCounts: Record<TaskKind, number>;
  taskCount: number;
  goldCount: number;
  preview: Task[];
  /** The parsed rubric and taxonomy, and the guidelines, for a preview in the task views (null when missing or invalid). */
  rubric: Rubric | null;
  taxonomy: Taxonomy | null;
  guidelines: string | null;
}

export interface BuildResult {
  manifest: Manifest;
  taskCounts: Record<string, number>;
}

export const MAX_PROBLEMS = 200;
const YEAR_MS = 365 * 24 * 3600 * 1000;

type SmallFile = Exclude<BundleFileName, 'tasks.jsonl'>;

interface Checked extends Omit<SourceReport, 'guidelines'> {
  texts: Map<SmallFile, string>;
}

/**
 * Validates a bundle source completely and reports every problem (up to a cap), each with its
 * file, line and field. When `tasksOut` is given, the normalised task lines are written there.
 */
async function checkSource(opts: SourceOptions, tasksOut: string | null): Promise<Checked> {
  const now = opts.now ?? new Date();
  const problems: Problem[] = [];
  let total = 0;
  const note = (p: Problem[]) => {
    total += p.length;
    problems.push(...p.slice(0, Math.max(0, MAX_PROBLEMS - problems.length)));
  };

  const texts = new Map<SmallFile, string>();
  for (const name of ['bundle.json', 'guidelines.md', 'rubric.json', 'taxonomy.json'] as const) {
    try {
      texts.set(name, decodeUtf8(name, await readFile(join(opts.sourceDir, name))));
    } catch (e) {
      if (e instanceof ProblemsError) note(e.problems);
      else note([{ file: name, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing from the source folder' : (e as Error).message }]);
    }
  }
  const parseJsonFile = <T>(name: string, text: string | undefined, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } }): T | null => {
    if (text === undefined) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      note([{ file: name, message: `invalid JSON (${(e as Error).message})` }]);
      return null;
    }
    const r = schema.safeParse(raw);
    if (!r.success) {
      note(problemsFromZod(name, r.error));
      return null;
    }
    return r.data;
  };
  const settings = parseJsonFile('bundle.json', texts.get('bundle.json'), BundleSettings);
  const rubric = parseJsonFile('rubric.json', texts.get('rubric.json'), Rubric);
  const taxonomy = parseJsonFile('taxonomy.json', texts.get('taxonomy.json'), Taxonomy);
  if (settings?.expiresAt && Date.parse(settings.expiresAt) <= now.getTime()) note([{ file: 'bundle.json', field: 'expiresAt', message: 'is in the past' }]);

  const input = opts.tasks ?? { from: 'folder' };
  const inputName = input.from === 'folder' ? TASKS_FILE : basename(input.file);
  const checker = new TaskChecker(taxonomy, inputName);
  const taskCounts: Record<TaskKind, number> = { compare: 0, exemplar: 0, trajectory: 0 };
  const preview: Task[] = [];
  let goldCount = 0;
  const out = tasksOut ? createWriteStream(tasksOut) : null;
  try {
    const records = await taskRecords(input, opts.sourceDir, note);
    for await (const rec of records) {
      if ('problems' in rec) {
        note(rec.problems);
        continue;
      }
      const r = checker.check(rec.bytes, rec.line);
      if (r.ok === 'blank') continue;
      if (!r.ok) {
        note(r.problems);
        continue;
      }
      const task = r.value.task;
      taskCounts[task.kind]++;
      if (task.gold) goldCount++;
      if (preview.length < (opts.previewCount ?? 0)) preview.push(task);
      if (checker.count % 1000 === 0) opts.onProgress?.(checker.count);
      if (out && !out.write(JSON.stringify(task) + '\n')) await new Promise<void>((res) => out.once('drain', () => res()));
    }
  } finally {
    if (out) await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  if (checker.count === 0 && !problems.some((p) => p.file === inputName)) note([{ file: inputName, message: 'holds no tasks' }]);
  if (settings?.assignment?.annotators && settings.assignment.perTask > settings.assignment.annotators.length) {
    note([{ file: 'bundle.json', field: 'assignment.perTask', message: `asks for ${settings.assignment.perTask} annotators per task but names only ${settings.assignment.annotators.length}` }]);
  }
  return { problems, truncated: total > problems.length, settings, rubric, taxonomy, texts, taskCounts, taskCount: checker.count, goldCount, preview };
}

type SourceRecord = { line: number; bytes: Buffer } | { line: number; problems: Problem[] };

async function taskRecords(input: TaskInput, sourceDir: string, note: (p: Problem[]) => void): Promise<AsyncIterable<SourceRecord>> {
  if (input.from === 'folder') return folderRecords(join(sourceDir, TASKS_FILE), note);
  const file = basename(input.mappingFile);
  let mapping: Mapping | null = null;
  try {
    const r = Mapping.safeParse(JSON.parse(await readFile(input.mappingFile, 'utf8')));
    if (r.success) mapping = r.data;
    else note(problemsFromZod(file, r.error));
  } catch (e) {
    note([{ file, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${(e as Error).message})` }]);
  }
  if (!mapping) return (async function* () {})();
  const m = mapping;
  const records = input.from === 'csv' ? csvTaskRecords(input.file, m) : jsonlRecords(input.file, m);
  return (async function* () {
    try {
      for await (const r of records) yield 'problems' in r ? r : { line: r.line, bytes: Buffer.from(JSON.stringify((r as Extract<MappedRecord, { value: unknown }>).value)) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') note([{ file: basename(input.file), message: 'is missing' }]);
      else throw e;
    }
  })();
}

async function* folderRecords(path: string, note: (p: Problem[]) => void): AsyncGenerator<SourceRecord> {
  let line = 0;
  try {
    for await (const bytes of byteLines(createReadStream(path))) {
      line++;
      yield { line, bytes };
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') note([{ file: TASKS_FILE, message: 'is missing from the source folder' }]);
    else throw e;
  }
}

/** Validates a source without writing anything: the report the admin screen shows before signing. */
export async function validateSource(opts: SourceOptions): Promise<SourceReport> {
  const { texts, ...report } = await checkSource(opts, null);
  return { ...report, guidelines: texts.get('guidelines.md') ?? null };
}

/**
 * Builds a signed bundle. Every file is validated before anything is written, and every
 * problem found is reported at once (up to a cap), each with its file, line and field.
 */
export async function buildBundle(opts: BuildOptions): Promise<BuildResult> {
  const now = opts.now ?? new Date();
  const tasksTmp = `${opts.outFile}.tasks.tmp`;
  await mkdir(dirname(opts.outFile), { recursive: true });
  try {
    const rotation = opts.rotationFile ? await readRotation(opts.rotationFile, opts.key) : null;
    const c = await checkSource(opts, tasksTmp);
    const problems = [...(rotation && 'problem' in rotation ? [rotation.problem] : []), ...c.problems];
    if (problems.length > 0 || !c.settings || !c.rubric || !c.taxonomy) throw new ProblemsError(problems);
    const settings = c.settings;
    const fileBytes = new Map<BundleFileName, Buffer>([
      ['bundle.json', Buffer.from(JSON.stringify(settings, null, 2) + '\n')],
      ['guidelines.md', Buffer.from(c.texts.get('guidelines.md')!)],
      ['rubric.json', Buffer.from(JSON.stringify(c.rubric, null, 2) + '\n')],
      ['taxonomy.json', Buffer.from(JSON.stringify(c.taxonomy, null, 2) + '\n')],
    ]);
    const files: Manifest['files'] = [];
    for (const name of BUNDLE_FILES) {
      if (name === 'tasks.jsonl') {
        files.push({ path: name, size: (await stat(tasksTmp)).size, sha256: await sha256File(tasksTmp) });
      } else {
        const bytes = fileBytes.get(name)!;
        files.push({ path: name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
      }
    }
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      bundleId: settings.id,
      version: settings.version,
      title: settings.title,
      createdAt: now.toISOString(),
      expiresAt: settings.expiresAt ?? new Date(now.getTime() + YEAR_MS).toISOString(),
      taskCount: c.taskCount,
      files,
    };
    const rotationBytes = rotation && 'bytes' in rotation ? rotation.bytes : null;
    if (rotationBytes) files.push({ path: ROTATION_ENTRY, size: rotationBytes.length, sha256: createHash('sha256').update(rotationBytes).digest('hex') });
    const envelope = signEnvelope(MANIFEST_PAYLOAD_TYPE, Buffer.from(JSON.stringify(manifest)), opts.key);

    const zip = new yazl.ZipFile();
    const mtime = now;
    zip.addBuffer(Buffer.from(JSON.stringify(envelope, null, 2) + '\n'), MANIFEST_ENTRY, { mtime, mode: 0o100644 });
    for (const name of BUNDLE_FILES) {
      if (name === 'tasks.jsonl') zip.addFile(tasksTmp, name, { mtime, mode: 0o100644 });
      else zip.addBuffer(fileBytes.get(name)!, name, { mtime, mode: 0o100644 });
    }
    if (rotationBytes) zip.addBuffer(rotationBytes, ROTATION_ENTRY, { mtime, mode: 0o100644 });
    zip.end();
    const partial = `${opts.outFile}.partial`;
    await pipeline(zip.outputStream, createWriteStream(partial, { mode: 0o644 }));
    await rename(partial, opts.outFile);
    return { manifest, taskCounts: c.taskCounts };
  } finally {
    await rm(tasksTmp, { force: true });
    await rm(`${opts.outFile}.partial`, { force: true });
  }
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Reads the rotation statement to carry: it must name the signing key as the new key and bear
 * that key's signature. The old key's signature is checked by each workstation that trusts it.
 */
async function readRotation(path: string, key: PrivateJwk): Promise<{ bytes: Buffer } | { problem: Problem }> {
  const file = basename(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return { problem: { file, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${(e as Error).message})` } };
  }
  if (bytes.length > MAX_ROTATION_BYTES) return { problem: { file, message: `is ${bytes.length} bytes; a rotation statement is at most ${MAX_ROTATION_BYTES}` } };
  try {
    readRotationForSigner(bytes, toPublic(key));
  } catch (e) {
    if (e instanceof SignatureError) return { problem: { file, message: e.message } };
    throw e;
  }
  return { bytes };
}
