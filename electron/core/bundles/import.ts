import { ApiError } from '../../../shared/contract/index.ts';
import { BundleRefusal, ProblemsError, formatProblem, openBundle, type TrustedKey } from '../../../shared/node/bundle/index.ts';
import type { CoreContext } from '../context.ts';
import { listTrustedKeys } from '../trust/trust-store.ts';

export interface ImportResult {
  bundleId: string;
  version: number;
  taskCount: number;
  outcome: 'imported' | 'updated' | 'unchanged';
}

export interface ImportOptions {
  onProgress?: (done: number, total: number) => void;
  /** Defaults to the workstation's trust store. */
  trusted?: readonly TrustedKey[];
  sample?: boolean;
}

const PROGRESS_EVERY = 2000;

/**
 * Imports a bundle file all or nothing: verification, every check and every insert happen
 * inside one transaction that is rolled back on the first problem, so a refused bundle
 * leaves the store exactly as it was. Callers must not run other core work concurrently on
 * this connection (the core's call queue guarantees that).
 */
export async function importBundle(ctx: CoreContext, path: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const trusted = opts.trusted ?? listTrustedKeys(ctx.db);
  let bundle;
  try {
    bundle = await openBundle(path, trusted, { now: ctx.now() });
  } catch (e) {
    throw asApiError(e);
  }
  const { manifest } = bundle;
  const db = ctx.db;
  try {
    const installed = db.prepare('SELECT version, manifest_sha256 FROM bundles WHERE id = ?').get(manifest.bundleId) as
      | { version: number; manifest_sha256: string }
      | undefined;
    if (installed && installed.version > manifest.version) {
      throw new ApiError('refused', `bundle ${manifest.bundleId}: version ${manifest.version} is older than the installed version ${installed.version}; nothing was changed`);
    }
    if (installed && installed.version === manifest.version) {
      if (installed.manifest_sha256 === bundle.manifestSha256) {
        return { bundleId: manifest.bundleId, version: manifest.version, taskCount: manifest.taskCount, outcome: 'unchanged' };
      }
      throw new ApiError('refused', `bundle ${manifest.bundleId}: version ${manifest.version} is already installed with different content; a changed bundle needs a new version number; nothing was changed`);
    }

    db.exec('BEGIN IMMEDIATE');
    try {
      const nowIso = ctx.now().toISOString();
      db.prepare(
        `INSERT INTO bundles (id, version, title, description, settings, guidelines, rubric, taxonomy, manifest, manifest_sha256,
           signer_key_id, signer_label, sample, task_count, created_at, expires_at, imported_at)
         VALUES (@id, @version, @title, @description, @settings, @guidelines, @rubric, @taxonomy, @manifest, @sha,
           @signerKeyId, @signerLabel, @sample, @taskCount, @createdAt, @expiresAt, @importedAt)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, title = excluded.title, description = excluded.description,
           settings = excluded.settings, guidelines = excluded.guidelines, rubric = excluded.rubric, taxonomy = excluded.taxonomy,
           manifest = excluded.manifest, manifest_sha256 = excluded.manifest_sha256, signer_key_id = excluded.signer_key_id,
           signer_label = excluded.signer_label, task_count = excluded.task_count, created_at = excluded.created_at,
           expires_at = excluded.expires_at, imported_at = excluded.imported_at`,
      ).run({
        id: manifest.bundleId,
        version: manifest.version,
        title: manifest.title,
        description: bundle.settings.description ?? null,
        settings: JSON.stringify(bundle.settings),
        guidelines: bundle.guidelines,
        rubric: JSON.stringify(bundle.rubric),
        taxonomy: JSON.stringify(bundle.taxonomy),
        manifest: JSON.stringify(manifest),
        sha: bundle.manifestSha256,
        signerKeyId: bundle.signerKeyId,
        signerLabel: bundle.signer.label,
        sample: opts.sample ? 1 : 0,
        taskCount: manifest.taskCount,
        createdAt: manifest.createdAt,
        expiresAt: manifest.expiresAt,
        importedAt: nowIso,
      });
      // On update, every old task is first marked retired; the new version un-retires what it still holds.
      if (installed) db.prepare('UPDATE tasks SET retired = 1 WHERE bundle_id = ?').run(manifest.bundleId);
      const upsert = db.prepare(
        `INSERT INTO tasks (bundle_id, task_id, position, kind, title, body, hash, bundle_version, retired)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
         ON CONFLICT (bundle_id, task_id) DO UPDATE SET position = excluded.position, kind = excluded.kind, title = excluded.title,
           body = excluded.body, hash = excluded.hash, bundle_version = excluded.bundle_version, retired = 0`,
      );
      let n = 0;
      for await (const { task, json, hash } of bundle.tasks()) {
        upsert.run(manifest.bundleId, task.id, n, task.kind, task.title ?? `${task.kind} ${task.id}`, json, hash, manifest.version);
        n++;
        if (n % PROGRESS_EVERY === 0) opts.onProgress?.(n, manifest.taskCount);
      }
      if (installed) {
        // Tasks the new version dropped: kept if anyone worked on them (never orphan annotations), else removed.
        db.prepare(
          `DELETE FROM tasks WHERE bundle_id = ? AND retired = 1
             AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.bundle_id = tasks.bundle_id AND a.task_id = tasks.task_id)`,
        ).run(manifest.bundleId);
      }
      db.exec('COMMIT');
      opts.onProgress?.(n, manifest.taskCount);
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
    ctx.emit({ type: 'bundles.changed' });
    return { bundleId: manifest.bundleId, version: manifest.version, taskCount: manifest.taskCount, outcome: installed ? 'updated' : 'imported' };
  } catch (e) {
    throw asApiError(e);
  } finally {
    bundle.close();
  }
}

function asApiError(e: unknown): unknown {
  if (e instanceof ApiError) return e;
  if (e instanceof BundleRefusal) return new ApiError('refused', `${e.message}; nothing was imported`);
  if (e instanceof ProblemsError) {
    return new ApiError(
      'validation_failed',
      `the bundle is invalid; nothing was imported:\n${e.problems.map(formatProblem).join('\n')}`,
      e.problems.map((p) => ({ path: [p.file, p.line !== undefined ? `line ${p.line}` : null, p.field].filter(Boolean).join(': '), message: p.message })),
    );
  }
  return e;
}
