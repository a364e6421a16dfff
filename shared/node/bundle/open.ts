import { createHash } from 'node:crypto';
import {
  BUNDLE_FILES,
  BundleSettings,
  MANIFEST_PAYLOAD_TYPE,
  Manifest,
  Rubric,
  Taxonomy,
  type BundleFileName,
  type Task,
} from '../../domain/index.ts';
import { SignatureError, verifyEnvelope } from '../dsse.ts';
import { keyId } from '../keys.ts';
import { LineSplitter } from '../lines.ts';
import { TASKS_FILE, TaskChecker } from './task-check.ts';
import { SafeZip, ZipRefusal, type ZipLimits, DEFAULT_ZIP_LIMITS } from '../zip.ts';
import { MANIFEST_ENTRY, MAX_MANIFEST_BYTES, MAX_SMALL_FILE_BYTES, OPTIONAL_BUNDLE_FILES } from './layout.ts';
import { checkRotationEntry, RotationRefusal, signerByRotation, type CarriedRotation } from './rotation-entry.ts';
import { ProblemsError, decodeUtf8, parseJson, problemsFromZod } from './problems.ts';
import { keyMayAuthorise, type TrustedKey } from './trust.ts';
import type { BundleRefusalCode } from './refusal.ts';

/** A bundle that must not be imported, with the reason in words an admin can act on. */
export class BundleRefusal extends Error {
  override name = 'BundleRefusal';
  constructor(
    readonly code: BundleRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

export interface BundleTaskLine {
  task: Task;
  /** The task's JSON line exactly as stored in the bundle. */
  json: string;
  line: number;
  /** The line's raw bytes (a view into the inflated chunk: copy it to keep it). */
  bytes: Buffer;
}

export interface OpenedBundle {
  manifest: Manifest;
  /** SHA-256 of the signed manifest payload: same version + different hash = different content. */
  manifestSha256: string;
  signer: TrustedKey;
  signerKeyId: string;
  /** Set when the signer is trusted only through the rotation statement the bundle carries. */
  rotation: CarriedRotation | null;
  settings: BundleSettings;
  guidelines: string;
  rubric: Rubric;
  taxonomy: Taxonomy;
  /** Streams and validates tasks; throws after the last one if size or hash disagree with the manifest. */
  tasks(): AsyncGenerator<BundleTaskLine>;
  /** The same, a run of tasks at a time (one per inflated chunk): the import's hot path. */
  taskRuns(): AsyncGenerator<BundleTaskLine[]>;
  close(): void;
}

export interface OpenOptions {
  now?: Date;
  limits?: ZipLimits;
}

/**
 * Opens a bundle file for import. Order matters: the signature is verified over the exact
 * manifest bytes before the manifest is parsed; the zip's entry set, sizes and hashes are
 * checked against the manifest before any file is trusted.
 */
export async function openBundle(path: string, trusted: readonly TrustedKey[], opts: OpenOptions = {}): Promise<OpenedBundle> {
  const now = opts.now ?? new Date();
  let zip: SafeZip;
  try {
    zip = await SafeZip.open(path, opts.limits ?? DEFAULT_ZIP_LIMITS);
  } catch (e) {
    throw e instanceof ZipRefusal ? new BundleRefusal(e.code, `${path}: ${e.message}`) : e;
  }
  try {
    if (!zip.has(MANIFEST_ENTRY)) throw new BundleRefusal('unsigned', `the bundle has no ${MANIFEST_ENTRY}: it is unsigned`);
    let envelopeBytes: Buffer;
    try {
      // A damaged or oversized entry is a refusal like any other file's, not a crash.
      envelopeBytes = await zip.read(MANIFEST_ENTRY, MAX_MANIFEST_BYTES);
    } catch (e) {
      throw asRefusal(e);
    }
    if (trusted.length === 0) throw new BundleRefusal('no_trusted_keys', 'no trusted keys are configured on this workstation');
    let verified;
    let rotation: CarriedRotation | null = null;
    let signer: TrustedKey;
    try {
      verified = verifyEnvelope(envelopeBytes, MANIFEST_PAYLOAD_TYPE, trusted.map((t) => t.jwk));
      const id = keyId(verified.signer);
      signer = trusted.find((t) => keyId(t.jwk) === id)!;
    } catch (e) {
      if (!(e instanceof SignatureError)) throw e;
      // Not signed by a trusted key: a rotation statement in the bundle may still vouch for its signer.
      try {
        ({ verified, signer, rotation } = await signerByRotation(zip, envelopeBytes, trusted, e));
      } catch (r) {
        throw asRefusal(r);
      }
    }
    const signerKeyId = keyId(verified.signer);

    const manifestText = decodeUtf8('manifest', verified.payload);
    const parsed = Manifest.safeParse(parseJson('manifest', manifestText));
    if (!parsed.success) throw new ProblemsError(problemsFromZod('manifest', parsed.error));
    const manifest = parsed.data;

    if (!keyMayAuthorise(signer, manifest.bundleId)) {
      throw new BundleRefusal('key_out_of_scope', `key "${signer.label}" is trusted only for bundles whose id starts with "${signer.bundlePrefix}", not "${manifest.bundleId}"`);
    }
    if (Date.parse(manifest.expiresAt) <= now.getTime()) {
      throw new BundleRefusal('expired', `bundle ${manifest.bundleId} v${manifest.version} expired at ${manifest.expiresAt}`);
    }
    checkEntrySet(zip, manifest);
    try {
      await checkRotationEntry(zip, manifest);
    } catch (e) {
      throw asRefusal(e);
    }

    const small = async (name: Exclude<BundleFileName, 'tasks.jsonl'>) => {
      const entry = manifest.files.find((f) => f.path === name)!;
      let bytes: Buffer;
      try {
        bytes = await zip.read(name, Math.min(entry.size, MAX_SMALL_FILE_BYTES));
      } catch (e) {
        throw asRefusal(e);
      }
      if (bytes.length !== entry.size) throw new BundleRefusal('size_mismatch', `${name}: ${bytes.length} bytes, the manifest says ${entry.size}`);
      if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) {
        throw new BundleRefusal('hash_mismatch', `${name}: content does not match the manifest hash (altered after signing)`);
      }
      return decodeUtf8(name, bytes);
    };
    const parseWith = <T>(name: 'bundle.json' | 'rubric.json' | 'taxonomy.json', text: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } }): T => {
      const r = schema.safeParse(parseJson(name, text));
      if (!r.success) throw new ProblemsError(problemsFromZod(name, r.error));
      return r.data;
    };
    const settings = parseWith('bundle.json', await small('bundle.json'), BundleSettings);
    if (settings.id !== manifest.bundleId || settings.version !== manifest.version) {
      throw new BundleRefusal('release_mismatch', `bundle.json says ${settings.id} v${settings.version}, the signed manifest says ${manifest.bundleId} v${manifest.version}`);
    }
    const guidelines = await small('guidelines.md');
    const rubric = parseWith('rubric.json', await small('rubric.json'), Rubric);
    const taxonomy = parseWith('taxonomy.json', await small('taxonomy.json'), Taxonomy);
    const tasksEntry = manifest.files.find((f) => f.path === 'tasks.jsonl')!;

    return {
      manifest,
      manifestSha256: createHash('sha256').update(verified.payload).digest('hex'),
      signer,
      signerKeyId,
      rotation,
      settings,
      guidelines,
      rubric,
      taxonomy,
      tasks: () => flatten(streamTasks(zip, tasksEntry.size, tasksEntry.sha256, manifest.taskCount, taxonomy)),
      taskRuns: () => streamTasks(zip, tasksEntry.size, tasksEntry.sha256, manifest.taskCount, taxonomy),
      close: () => zip.close(),
    };
  } catch (e) {
    zip.close();
    throw e;
  }
}

function checkEntrySet(zip: SafeZip, manifest: Manifest): void {
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  for (const f of manifest.files) {
    if (!(BUNDLE_FILES as readonly string[]).includes(f.path) && !OPTIONAL_BUNDLE_FILES.includes(f.path)) throw new BundleRefusal('manifest_unknown_file', `the manifest lists "${f.path}", which is not a bundle file`);
  }
  if (listed.size !== manifest.files.length) throw new BundleRefusal('manifest_duplicate_file', 'the manifest lists a file twice');
  for (const name of BUNDLE_FILES) {
    if (!listed.has(name)) throw new BundleRefusal('manifest_missing_file', `the manifest does not list ${name}`);
  }
  for (const entry of zip.entries()) {
    if (entry.name === MANIFEST_ENTRY) continue;
    const f = listed.get(entry.name);
    if (!f) throw new BundleRefusal('entry_not_in_manifest', `entry "${entry.name}" is not in the signed manifest`);
    if (entry.uncompressedSize !== f.size) {
      throw new BundleRefusal('size_mismatch', `entry "${entry.name}" declares ${entry.uncompressedSize} bytes, the manifest says ${f.size}`);
    }
  }
  for (const name of listed.keys()) {
    if (!zip.has(name)) throw new BundleRefusal('entry_missing', `${name} is listed in the manifest but missing from the bundle`);
  }
}

async function* flatten<T>(runs: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const run of runs) yield* run;
}

/**
 * Inflates, hashes and checks tasks.jsonl, yielding the tasks of each inflated chunk
 * together: lines are split and checked synchronously, so there is no await per line.
 */
async function* streamTasks(
  zip: SafeZip,
  size: number,
  sha256: string,
  declaredCount: number,
  taxonomy: Taxonomy,
): AsyncGenerator<BundleTaskLine[]> {
  const hash = createHash('sha256');
  const checker = new TaskChecker(taxonomy);
  const splitter = new LineSplitter();
  let stream;
  try {
    stream = await zip.stream(TASKS_FILE, size);
  } catch (e) {
    throw asRefusal(e);
  }
  let lineNo = 0;
  let run: BundleTaskLine[] = [];
  const onLine = (bytes: Buffer) => {
    lineNo++;
    if (bytes.length === 0) return;
    const r = checker.check(bytes, lineNo);
    if (r.ok === 'blank') return;
    if (!r.ok) throw new ProblemsError(r.problems);
    const v = r.value;
    run.push({ task: v.task, json: v.json, bytes: v.bytes, line: lineNo });
  };
  try {
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      splitter.push(chunk as Buffer, onLine);
      if (run.length > 0) {
        yield run;
        run = [];
      }
    }
  } catch (e) {
    throw asRefusal(e);
  }
  splitter.end(onLine);
  if (run.length > 0) yield run;
  if (hash.digest('hex') !== sha256) throw new BundleRefusal('hash_mismatch', `${TASKS_FILE}: content does not match the manifest hash (altered after signing)`);
  if (checker.count !== declaredCount) throw new BundleRefusal('task_count_mismatch', `${TASKS_FILE}: holds ${checker.count} tasks, the manifest says ${declaredCount}`);
}

function asRefusal(e: unknown): unknown {
  return e instanceof ZipRefusal || e instanceof RotationRefusal ? new BundleRefusal(e.code, e.message) : e;
}
