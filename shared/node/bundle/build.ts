import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import {
  BUNDLE_FILES,
  BundleSettings,
  MANIFEST_FORMAT,
  MANIFEST_PAYLOAD_TYPE,
  Rubric,
  Task,
  Taxonomy,
  type BundleFileName,
  type Manifest,
} from '../../domain/index.ts';
import { signEnvelope } from '../dsse.ts';
import type { PrivateJwk } from '../keys.ts';
import { ProblemsError, decodeUtf8, problemsFromZod, type Problem } from './problems.ts';
import { MANIFEST_ENTRY } from './layout.ts';
import { byteLines } from '../lines.ts';

export interface BuildOptions {
  sourceDir: string;
  key: PrivateJwk;
  outFile: string;
  now?: Date;
  onProgress?: (tasksDone: number) => void;
}

export interface BuildResult {
  manifest: Manifest;
  taskCounts: Record<string, number>;
}

const MAX_PROBLEMS = 200;
const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Builds a signed bundle from a source folder. Every file is validated before anything is
 * written, and every problem found is reported at once (up to a cap), each with its file,
 * line and field.
 */
export async function buildBundle(opts: BuildOptions): Promise<BuildResult> {
  const now = opts.now ?? new Date();
  const problems: Problem[] = [];
  const note = (p: Problem[]) => problems.push(...p.slice(0, Math.max(0, MAX_PROBLEMS - problems.length)));

  const texts = new Map<Exclude<BundleFileName, 'tasks.jsonl'>, string>();
  for (const name of ['bundle.json', 'guidelines.md', 'rubric.json', 'taxonomy.json'] as const) {
    try {
      texts.set(name, decodeUtf8(name, await readFile(join(opts.sourceDir, name))));
    } catch (e) {
      if (e instanceof ProblemsError) note(e.problems);
      else note([{ file: name, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing from the source folder' : (e as Error).message }]);
    }
  }

  const parseFile = <S extends { safeParse(v: unknown): { success: true; data: unknown } | { success: false; error: import('zod').ZodError } }>(
    name: 'bundle.json' | 'rubric.json' | 'taxonomy.json',
    schema: S,
  ) => {
    const text = texts.get(name);
    if (text === undefined) return undefined;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      note([{ file: name, message: `invalid JSON (${(e as Error).message})` }]);
      return undefined;
    }
    const r = schema.safeParse(raw);
    if (!r.success) {
      note(problemsFromZod(name, r.error));
      return undefined;
    }
    return r.data;
  };
  const settings = parseFile('bundle.json', BundleSettings) as BundleSettings | undefined;
  const rubric = parseFile('rubric.json', Rubric) as Rubric | undefined;
  const taxonomy = parseFile('taxonomy.json', Taxonomy) as Taxonomy | undefined;

  // Tasks: validated line by line into a normalised temporary file, so memory stays flat.
  const tasksTmp = `${opts.outFile}.tasks.tmp`;
  await mkdir(dirname(opts.outFile), { recursive: true });
  const taskCounts: Record<string, number> = { compare: 0, exemplar: 0, trajectory: 0 };
  let taskCount = 0;
  try {
    await validateTasks(join(opts.sourceDir, 'tasks.jsonl'), tasksTmp, note, (kind) => {
      taskCounts[kind] = (taskCounts[kind] ?? 0) + 1;
      taskCount++;
      if (taskCount % 1000 === 0) opts.onProgress?.(taskCount);
    });
    if (taskCount === 0 && !problems.some((p) => p.file === 'tasks.jsonl')) note([{ file: 'tasks.jsonl', message: 'holds no tasks' }]);
    if (settings?.expiresAt && Date.parse(settings.expiresAt) <= now.getTime()) {
      note([{ file: 'bundle.json', field: 'expiresAt', message: 'is in the past' }]);
    }
    if (problems.length > 0 || !settings || !rubric || !taxonomy) throw new ProblemsError(problems);

    const fileBytes = new Map<BundleFileName, Buffer>([
      ['bundle.json', Buffer.from(JSON.stringify(settings, null, 2) + '\n')],
      ['guidelines.md', Buffer.from(texts.get('guidelines.md')!)],
      ['rubric.json', Buffer.from(JSON.stringify(rubric, null, 2) + '\n')],
      ['taxonomy.json', Buffer.from(JSON.stringify(taxonomy, null, 2) + '\n')],
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
      taskCount,
      files,
    };
    const envelope = signEnvelope(MANIFEST_PAYLOAD_TYPE, Buffer.from(JSON.stringify(manifest)), opts.key);

    const zip = new yazl.ZipFile();
    const mtime = now;
    zip.addBuffer(Buffer.from(JSON.stringify(envelope, null, 2) + '\n'), MANIFEST_ENTRY, { mtime, mode: 0o100644 });
    for (const name of BUNDLE_FILES) {
      if (name === 'tasks.jsonl') zip.addFile(tasksTmp, name, { mtime, mode: 0o100644 });
      else zip.addBuffer(fileBytes.get(name)!, name, { mtime, mode: 0o100644 });
    }
    zip.end();
    const partial = `${opts.outFile}.partial`;
    await pipeline(zip.outputStream, createWriteStream(partial, { mode: 0o644 }));
    await rename(partial, opts.outFile);
    return { manifest, taskCounts };
  } finally {
    await rm(tasksTmp, { force: true });
    await rm(`${opts.outFile}.partial`, { force: true });
  }
}

async function validateTasks(
  path: string,
  outPath: string,
  note: (p: Problem[]) => void,
  onTask: (kind: string) => void,
): Promise<void> {
  const file = 'tasks.jsonl';
  const out = createWriteStream(outPath);
  const ids = new Map<string, number>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lineNo = 0;
  try {
    for await (const bytes of byteLines(createReadStream(path))) {
      lineNo++;
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch {
        note([{ file, line: lineNo, message: 'is not valid UTF-8' }]);
        continue;
      }
      if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (e) {
        note([{ file, line: lineNo, message: `invalid JSON (${(e as Error).message})` }]);
        continue;
      }
      const r = Task.safeParse(raw);
      if (!r.success) {
        const id = typeof raw === 'object' && raw && 'id' in raw ? String((raw as { id: unknown }).id) : undefined;
        note(problemsFromZod(file, r.error, lineNo, id ? `task ${id}` : ''));
        continue;
      }
      const task = r.data;
      const first = ids.get(task.id);
      if (first !== undefined) {
        note([{ file, line: lineNo, field: 'id', message: `duplicate task id "${task.id}" (first on line ${first})` }]);
        continue;
      }
      ids.set(task.id, lineNo);
      onTask(task.kind);
      if (!out.write(JSON.stringify(task) + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') note([{ file, message: 'is missing from the source folder' }]);
    else throw e;
  } finally {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

