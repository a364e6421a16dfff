import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core } from '../../core/core.ts';
import { startWebHost } from '../../web-host/server.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';
import { ensureSampleBundles } from '../sample-bundles.ts';

const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url));

export async function web(io: Io, dataDir: string | undefined, portText: string | undefined): Promise<void> {
  if (!dataDir) throw new CliError('usage: casebook web --data DIR [--port N]', 2);
  const port = portText === undefined ? 4780 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port: "${portText}" is not a port number`, 2);
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new CliError(`the renderer is not built (${RENDERER_DIR}); run \`npm run build\` first`);
  const samples = await ensureSampleBundles();
  const core = await Core.open({ dataDir: resolve(dataDir), host: 'web', samples });
  const host = await startWebHost({ core, staticDir: RENDERER_DIR, port }).catch(async (e: NodeJS.ErrnoException) => {
    await core.close();
    throw e.code === 'EADDRINUSE' ? new CliError(`port ${port} is in use; pass --port with another number (0 picks a free one)`) : e;
  });
  // Sync by itself whenever the server is reachable (no-op until this workstation is enrolled).
  core.sync.startAuto();
  io.out(`Casebook is running at ${host.url}`);
  io.err(`data: ${resolve(dataDir)} — press Ctrl+C to stop`);
  await new Promise<void>((done) => {
    const stop = () => void host.close().then(() => core.close()).then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
