import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';

export interface JobSpec {
  /** The caller's id for the job (contract `jobId`), or none: one is made. */
  jobId?: string | undefined;
  /** What the UI shows, e.g. "Importing clinical.cbundle". */
  label: string;
  /** Shown when the job fails with something other than an ApiError (whose message is shown). */
  failure: string;
  /** Report progress at most this often (the start and the end are always reported). */
  minIntervalMs?: number;
}

export interface JobRun<T> {
  result: T;
  /** The final count shown with the finished event. */
  done: number;
  total: number | null;
}

/**
 * Runs a contract method of lock mode `job` (shared/contract/api.ts): every job.progress event
 * carries the job's id, and the response names it, so a caller follows its own job only.
 */
export async function startJob<T extends object>(
  ctx: CoreContext,
  spec: JobSpec,
  work: (progress: (done: number, total: number | null) => void) => Promise<JobRun<T>>,
): Promise<T & { jobId: string }> {
  const jobId = spec.jobId ?? randomUUID();
  const emit = (done: number, total: number | null, finished = false, error: string | null = null) =>
    ctx.emit({ type: 'job.progress', progress: { jobId, label: spec.label, done, total, finished, error } });
  let last = 0;
  emit(0, null);
  try {
    const run = await work((done, total) => {
      if (Date.now() - last < (spec.minIntervalMs ?? 0)) return;
      last = Date.now();
      emit(done, total);
    });
    emit(run.done, run.total, true);
    return { ...run.result, jobId };
  } catch (e) {
    emit(0, null, true, e instanceof ApiError ? e.message.split('\n')[0]!.replace(/:$/, '') : spec.failure);
    throw e;
  }
}
