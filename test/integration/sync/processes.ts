import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

export interface Child {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs a TypeScript entry point under node + tsx, as the real command does. */
export function spawnTs(args: string[], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((ok) => proc.once('exit', (code) => ok(code)));
  return { proc, output: () => out, exited };
}

export async function waitFor(child: Child, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  const start = Date.now();
  for (;;) {
    const m = child.output().match(pattern);
    if (m) return m;
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) throw new Error(`process exited before printing ${pattern}:\n${child.output()}`);
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${pattern}:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `casebook server` as a child process on a fixed port, so it can be killed and restarted. */
export async function spawnServer(dataDir: string, port: number, env: Record<string, string> = {}, extraArgs: string[] = []): Promise<Child> {
  const child = spawnTs(['electron/cli/main.ts', 'server', '--data', dataDir, '--port', String(port), ...extraArgs], {
    CASEBOOK_LOG_LEVEL: 'warn',
    CASEBOOK_TEST_NO_RATE_LIMIT: '1',
    ...env,
  });
  await waitFor(child, /listening on http/);
  return child;
}

export async function sigkill(child: Child): Promise<void> {
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
  await child.exited;
}
