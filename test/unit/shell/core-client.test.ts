import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { FromCore, ToCore } from '../../../electron/core-host/protocol.ts';
import { CoreClient, type CoreProcess } from '../../../electron/main/core-client.ts';
import { safeStorageAnswers, type SafeStorageLike } from '../../../electron/main/keychain.ts';

/** A utility process stand-in: answers calls when told to, dies when told to. */
class FakeCore extends EventEmitter implements CoreProcess {
  readonly received: ToCore[] = [];
  killed = false;
  constructor(private readonly autoReady = true) {
    super();
  }
  postMessage(m: ToCore): void {
    this.received.push(m);
    if (m.type === 'init' && this.autoReady) queueMicrotask(() => this.send({ type: 'ready' }));
  }
  send(m: FromCore): void {
    this.emit('message', m);
  }
  die(code = 9): void {
    this.emit('exit', code);
  }
  kill(): boolean {
    this.killed = true;
    this.die(0);
    return true;
  }
  calls(): Extract<ToCore, { type: 'call' }>[] {
    return this.received.filter((m): m is Extract<ToCore, { type: 'call' }> => m.type === 'call');
  }
}

const safeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from(`sealed:${s}`),
  decryptString: (b) => b.toString().replace(/^sealed:/, ''),
  getSelectedStorageBackend: () => 'gnome_libsecret',
};

function client(opts: { maxRestarts?: number } = {}) {
  const forks: FakeCore[] = [];
  const restarts: string[] = [];
  const fatal: string[] = [];
  const c = new CoreClient({
    fork: () => {
      const f = new FakeCore();
      forks.push(f);
      return f;
    },
    init: { type: 'init', dataDir: '/data', samplesDir: null, nativeBinding: null, keychainBackend: 'gnome_libsecret' },
    keychain: safeStorageAnswers(safeStorage, 'linux'),
    onEvent: () => undefined,
    onRestart: (m) => restarts.push(m),
    onFatal: (m) => fatal.push(m),
    ...opts,
  });
  return { c, forks, restarts, fatal };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the core client when the core process dies', () => {
  it('fails every call still waiting, restarts the core, tells the user, and serves calls again', async () => {
    const { c, forks, restarts } = client();
    await c.ready;
    const waiting = [c.call('tasks.open', { bundleId: 'b', taskId: 't' }), c.call('annotations.saveDraft', {})];
    await tick();
    expect(forks[0]!.calls()).toHaveLength(2);
    forks[0]!.die();
    for (const r of await Promise.all(waiting)) expect(r).toMatchObject({ ok: false, error: { message: expect.stringMatching(/stopped unexpectedly.*try it again/) } });
    await tick();
    expect(forks).toHaveLength(2);
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toMatch(/being restarted/);

    const again = c.call('bundles.list', {});
    await tick();
    const sent = forks[1]!.calls()[0]!;
    forks[1]!.send({ type: 'result', id: sent.id, envelope: { ok: true, result: [] } });
    expect(await again).toEqual({ ok: true, result: [] });
  });

  it('a core that keeps dying is reported once and not restarted for ever', async () => {
    const { c, forks, fatal } = client({ maxRestarts: 2 });
    await c.ready;
    for (let i = 0; i < 3; i++) {
      forks.at(-1)!.die();
      await tick();
    }
    expect(forks).toHaveLength(3);
    expect(fatal).toEqual([expect.stringMatching(/keeps stopping/)]);
    expect(await c.call('bundles.list', {})).toMatchObject({ ok: false });
  });

  it('quitting the app kills the core without restarting it', async () => {
    const { c, forks, restarts } = client();
    await c.ready;
    c.kill();
    await tick();
    expect(forks[0]!.killed).toBe(true);
    expect(forks).toHaveLength(1);
    expect(restarts).toEqual([]);
  });

  it("answers the vault's keychain requests with safeStorage", async () => {
    const { c, forks } = client();
    await c.ready;
    forks[0]!.send({ type: 'keychain.encrypt', id: 7, plain: 'store-key\nabc' });
    await tick();
    const reply = forks[0]!.received.at(-1);
    expect(reply).toEqual({ type: 'keychain.reply', id: 7, value: Buffer.from('sealed:store-key\nabc').toString('base64'), error: null });
  });
});
