import { api, isMethod, type CoreEvent, type Envelope, type Method } from '../../shared/contract/index.ts';
import type { CoreContext } from './context.ts';
import { dispatch, type DispatchOptions } from './dispatcher.ts';
import { createHandlers } from './handlers/index.ts';
import { importBundle } from './bundles/import.ts';
import type { ImportOptions, ImportResult } from './bundles/import-options.ts';
import { installSamplesOnce, type SampleSource } from './bundles/samples.ts';
import { recoverInterruptedImports } from './bundles/import-writer.ts';
import { openStore, type OpenedStore, type StoreProtection } from './store/open-store.ts';
import { DEFAULT_IDLE_MINUTES, WorkstationLock } from './lock/lock.ts';
import { authorizeCall } from './identity/authorize.ts';
import { SyncService, type SyncServiceOptions } from './sync/service.ts';
import { ensureReviewIndex } from './review/review-index.ts';

export interface CoreOptions {
  dataDir: string;
  host: 'electron' | 'web';
  samples?: SampleSource;
  nativeBinding?: string;
  /** What protects the vault and the store; without it, a plain store (tests, benchmarks). */
  protection?: StoreProtection;
  /** Idle minutes before the UI locks the workstation; null never. */
  idleMinutes?: number | null;
  now?: () => Date;
  dispatch?: DispatchOptions;
  sync?: SyncServiceOptions;
  /**
   * The command line: it acts for whoever controls the data directory (who could edit the
   * store directly anyway), so the role checks that guard the app's users do not apply.
   */
  operator?: boolean;
}

/**
 * The workstation core: one SQLite connection, one writer. Every call is queued and runs to
 * completion before the next starts, so a long import's transaction never interleaves with
 * an autosave (the single-writer discipline Signal Desktop uses).
 */
export class Core {
  private queue: Promise<unknown> = Promise.resolve();
  /** Imports run one at a time, each as many short steps on the call queue. */
  private imports: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(e: CoreEvent) => void>();
  private readonly handlers;

  readonly ctx: CoreContext;
  readonly sync: SyncService;
  readonly lock: WorkstationLock;

  private constructor(
    store: OpenedStore,
    opts: CoreOptions,
    private readonly dispatchOptions: DispatchOptions,
  ) {
    this.lock = new WorkstationLock(store.vault, opts.protection ?? { kind: 'none' }, opts.idleMinutes === undefined ? DEFAULT_IDLE_MINUTES : opts.idleMinutes, () =>
      this.emitEvent({ type: 'app.locked' }),
    );
    this.ctx = {
      db: store.db,
      dataDir: opts.dataDir,
      storePath: store.path,
      encrypted: store.encrypted,
      host: opts.host,
      now: opts.now ?? (() => new Date()),
      keyVault: store.vault,
      lock: this.lock,
      emit: (e) => this.emitEvent(e),
      exclusive: (step) => this.exclusive(step),
      importBundle: (path, o) => this.importBundle(path, o),
    };
    this.sync = new SyncService(this.ctx, opts.sync);
    this.handlers = createHandlers(this.ctx, { sync: this.sync });
  }

  static async open(opts: CoreOptions): Promise<Core> {
    const store = await openStore(opts.dataDir, opts.protection ?? { kind: 'none' }, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
    const core: Core = new Core(store, opts, {
      onInternalError: (method, error) => console.error(`[core] ${method} failed:`, error instanceof Error ? error.stack : error),
      validateResponses: process.env.CASEBOOK_VALIDATE_RESPONSES === '1',
      storePath: store.path,
      authorize: (method: Method) => {
        core.lock.guard(method);
        if (!opts.operator) authorizeCall(core.ctx, method);
      },
      ...opts.dispatch,
    });
    // An import interrupted by a crash left only invisible staged rows: remove them first.
    recoverInterruptedImports(store.db);
    // After migration 004 the review index is filled once from the work already held.
    ensureReviewIndex(store.db, core.ctx.now().toISOString());
    const samples = opts.samples;
    if (samples) {
      await core.exclusive(() => installSamplesOnce(core.ctx, samples)).catch((e: Error) => console.warn(`[core] the sample bundles were not installed: ${e.message}`));
    }
    return core;
  }

  /**
   * The single writer: runs `fn` after every earlier turn has finished, and before any later one
   * starts. Every call of lock mode `writer` is one turn; `job` and `self` calls take their own.
   */
  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  call(method: string, request: unknown): Promise<Envelope> {
    // The contract says how each method holds the writer: a job or a network wait inside one
    // turn would hold every other call for its whole duration.
    if (isMethod(method) && api[method].lock !== 'writer') return dispatch(this.handlers, method, request, this.dispatchOptions);
    return this.exclusive(() => dispatch(this.handlers, method, request, this.dispatchOptions));
  }

  /**
   * Imports a bundle without blocking other calls for its duration: each database step takes
   * its turn on the call queue, so an autosave waits at most one batch (tens of ms).
   */
  importBundle(path: string, opts: ImportOptions = {}): Promise<ImportResult> {
    const run = this.imports.then(() => importBundle(this.ctx, path, opts, this.ctx.exclusive));
    this.imports = run.catch(() => undefined);
    return run;
  }

  subscribe(listener: (e: CoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emitEvent(e: CoreEvent): void {
    for (const l of this.listeners) l(e);
  }

  async close(): Promise<void> {
    await this.imports;
    await this.sync.idle();
    await this.exclusive(() => undefined);
    this.ctx.db.close();
  }
}
