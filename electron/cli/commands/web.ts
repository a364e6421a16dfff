import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebHost } from '../../web-host/server.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';
import { openBrowser } from '../open-browser.ts';
import { ensureSampleBundles } from '../sample-bundles.ts';
import { openWorkstation } from '../workstation.ts';

const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url));

export interface WebOptions {
  port?: string | undefined;
  passphraseFile?: string | undefined;
  /** Minutes of inactivity before the UI locks; 0 never. */
  lockAfter?: string | undefined;
  /** Open the app in the desktop's browser once it is up (`npm run web` asks for this). */
  open?: boolean | undefined;
}

export async function web(io: Io, dataDir: string | undefined, opts: WebOptions = {}): Promise<void> {
  if (!dataDir) throw new CliError('usage: casebook web --data DIR [--port N] [--passphrase-file FILE] [--lock-after MINUTES] [--open]', 2);
  const port = opts.port === undefined ? 4780 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port: "${opts.port}" is not a port number`, 2);
  const idle = opts.lockAfter === undefined ? undefined : Number(opts.lockAfter);
  if (idle !== undefined && (!Number.isInteger(idle) || idle < 0)) throw new CliError(`--lock-after: "${opts.lockAfter}" is not a number of minutes`, 2);
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new CliError(`the renderer is not built (${RENDERER_DIR}); run \`npm run build\` first`);
  const samples = await ensureSampleBundles();
  const core = await openWorkstation(io, dataDir, {
    samples,
    offerToEncrypt: true,
    passphraseFile: opts.passphraseFile,
    ...(idle !== undefined ? { idleMinutes: idle === 0 ? null : idle } : {}),
  });
  const host = await startWebHost({ core, staticDir: RENDERER_DIR, port }).catch(async (e: NodeJS.ErrnoException) => {
    await core.close();
    throw e.code === 'EADDRINUSE' ? new CliError(`port ${port} is in use; pass --port with another number (0 picks a free one)`) : e;
  });
  // Sync by itself whenever the server is reachable (no-op until this workstation is enrolled).
  core.sync.startAuto();
  io.out(`Casebook is running at ${host.url}`);
  io.err(`data: ${resolve(dataDir)} (${core.ctx.encrypted ? 'encrypted' : 'NOT encrypted'}) — press Ctrl+C to stop`);
  if (opts.open) openBrowser(host.url, io.err);
  await new Promise<void>((done) => {
    const stop = () => void host.close().then(() => core.close()).then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
