import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ApiError } from '../../../shared/contract/index.ts';
import { publicTask } from '../../../shared/domain/index.ts';
import { buildBundle, formatProblem, ProblemsError, publishBundle, PublishError, validateSource, type Problem } from '../../../shared/node/bundle/index.ts';
import { fingerprint, keyId, LabelledPrivateJwk, toPublic, type PrivateJwk } from '../../../shared/node/keys.ts';
import type { CoreContext } from '../context.ts';
import { startJob } from '../jobs/start-job.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

/**
 * The admin screen's side of bundle building. Nothing here touches the workstation's store:
 * the admin works on files (a source, a key file, an output file), exactly as the CLI does.
 */
export function adminHandlers(ctx: CoreContext): HandlerMap<MethodsOf<'admin'>> {
  return {
    'admin.validateSource': async (req) => {
      const r = await validateSource({ sourceDir: req.sourceDir, tasks: req.tasks, previewCount: req.previewCount, now: ctx.now() });
      const show = r.settings?.showModelNames ?? false;
      return {
        problems: r.problems,
        truncated: r.truncated,
        bundle: r.settings ? { id: r.settings.id, version: r.settings.version, title: r.settings.title } : null,
        taskCount: r.taskCount,
        taskCounts: r.taskCounts,
        goldCount: r.goldCount,
        preview: r.preview.map((t) => publicTask(t, show)),
      };
    },
    'admin.buildBundle': async (req) => {
      const key = await readKeyFile(req.keyFile);
      return startJob(ctx, { jobId: req.jobId, label: `Building ${basename(req.outFile)}`, failure: 'the build failed' }, async (progress) => {
        try {
          const r = await buildBundle({ sourceDir: req.sourceDir, tasks: req.tasks, key, outFile: req.outFile, now: ctx.now(), onProgress: (n) => progress(n, null) });
          const m = r.manifest;
          const pub = toPublic(key);
          const signer = { jwk: pub, keyId: keyId(pub), fingerprint: fingerprint(pub) };
          return { result: { file: req.outFile, bundleId: m.bundleId, version: m.version, taskCount: m.taskCount, kinds: r.taskCounts, expiresAt: m.expiresAt, signer }, done: m.taskCount, total: null };
        } catch (e) {
          if (!(e instanceof ProblemsError)) throw e;
          throw new ApiError('validation_failed', `${e.problems.length} problem(s); no bundle was written:\n${e.problems.map(formatProblem).join('\n')}`, e.problems.map(issue));
        }
      });
    },
    'admin.publishBundle': async (req) => {
      try {
        return await publishBundle({ file: req.file, serverUrl: req.serverUrl, adminToken: req.adminToken, now: ctx.now() });
      } catch (e) {
        if (e instanceof PublishError) throw new ApiError(PUBLISH_CODE[e.reason], e.message);
        throw e;
      }
    },
  };
}

/** A file or address the admin can fix is a validation problem; the server's no is a refusal. */
const PUBLISH_CODE: Record<PublishError['reason'], 'validation_failed' | 'refused' | 'conflict'> = {
  not_a_bundle: 'validation_failed',
  expired: 'validation_failed',
  bad_address: 'validation_failed',
  unreachable: 'refused',
  unauthorized: 'refused',
  conflict: 'conflict',
  too_large: 'refused',
  refused: 'refused',
  server_failed: 'refused',
};

function issue(p: Problem) {
  return { path: [p.file, p.line !== undefined ? `line ${p.line}` : null, p.field].filter(Boolean).join(': '), message: p.message };
}

async function readKeyFile(path: string): Promise<PrivateJwk> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new ApiError('validation_failed', `${path}: cannot read the signing key (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const r = LabelledPrivateJwk.safeParse(raw);
  if (!r.success) throw new ApiError('validation_failed', `${path}: not an Ed25519 private key (JWK with kty, crv, x and d)`);
  const { label: _label, ...jwk } = r.data;
  return jwk;
}
