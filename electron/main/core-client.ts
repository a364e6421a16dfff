import type { CoreEvent, Envelope } from '../../shared/contract/index.ts';
import type { FromCore, ToCore } from '../core-host/protocol.ts';
import type { KeychainAnswers } from './keychain.ts';

/** The part of Electron's UtilityProcess the client uses (a fake in tests). */
export interface CoreProcess {
  on(event: 'message', listener: (message: FromCore) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
  postMessage(message: ToCore): void;
  kill(): boolean;
}

export interface CoreClientOptions {
  fork: () => CoreProcess;
  init: Extract<ToCore, { type: 'init' }>;
  keychain: KeychainAnswers;
  onEvent: (e: CoreEvent) => void;
  /** The core died and was started again: tell the user what happened to their last action. */
  onRestart: (message: string) => void;
  /** It died too often, or could not start: the app cannot go on. */
  onFatal: (message: string) => void;
  /** Restarts allowed within `windowMs` before giving up. */
  maxRestarts?: number;
  windowMs?: number;
}

const STOPPED = 'Casebook’s data process stopped unexpectedly and is being restarted. What you were doing was not finished: try it again in a moment.';

/**
 * Runs the core in a utility process and relays calls to it; answers the core's keychain
 * requests with safeStorage. When the core dies, every call still waiting is answered with an
 * error (never left pending), the core is started again and the user is told; calls made while
 * it restarts wait for it. A core that keeps dying is reported once, not restarted for ever.
 */
export class CoreClient {
  private seq = 0;
  private readonly pending = new Map<number, (e: Envelope) => void>();
  private child: CoreProcess | null = null;
  private started: Promise<void> = Promise.resolve();
  private restarts: number[] = [];
  private stopping = false;
  readonly ready: Promise<void>;

  constructor(private readonly opts: CoreClientOptions) {
    this.ready = this.start();
  }

  call(method: string, request: unknown): Promise<Envelope> {
    return this.started.then(
      () =>
        new Promise<Envelope>((resolve) => {
          const child = this.child;
          if (!child) return resolve({ ok: false, error: { code: 'internal', message: STOPPED } });
          const id = ++this.seq;
          this.pending.set(id, resolve);
          child.postMessage({ type: 'call', id, method, request });
        }),
      (e: Error) => ({ ok: false, error: { code: 'internal', message: e.message } }),
    );
  }

  kill(): void {
    this.stopping = true;
    this.child?.kill();
  }

  private start(): Promise<void> {
    const child = this.opts.fork();
    this.child = child;
    this.started = new Promise<void>((resolve, reject) => {
      child.on('message', (msg) => {
        if (msg.type === 'ready') resolve();
        else if (msg.type === 'fatal') reject(new Error(msg.message));
        else this.onMessage(child, msg);
      });
      child.once('exit', (code) => {
        reject(new Error(`the core process exited (${code}) before it was ready`));
        this.onExit(child);
      });
    });
    child.postMessage(this.opts.init);
    return this.started;
  }

  private onMessage(child: CoreProcess, msg: FromCore): void {
    switch (msg.type) {
      case 'result':
        this.pending.get(msg.id)?.(msg.envelope);
        this.pending.delete(msg.id);
        return;
      case 'event':
        return this.opts.onEvent(msg.event);
      case 'keychain.encrypt':
      case 'keychain.decrypt':
        return void this.opts.keychain.answer(msg).then((reply) => child.postMessage(reply));
    }
  }

  private onExit(child: CoreProcess): void {
    if (child !== this.child) return;
    this.child = null;
    for (const [, resolve] of this.pending) resolve({ ok: false, error: { code: 'internal', message: STOPPED } });
    this.pending.clear();
    if (this.stopping) return;
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < (this.opts.windowMs ?? 60_000));
    if (this.restarts.length >= (this.opts.maxRestarts ?? 3)) {
      this.opts.onFatal('Casebook’s data process keeps stopping, so Casebook will close. Your saved work is in the store; start Casebook again, and if this repeats run `casebook doctor`.');
      return;
    }
    this.restarts.push(now);
    this.start().then(
      () => this.opts.onRestart(STOPPED),
      (e: Error) => this.opts.onFatal(`Casebook could not restart its data process: ${e.message}`),
    );
  }
}
