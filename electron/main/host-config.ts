import { join } from 'node:path';

export interface HostConfig {
  dataDir: string;
  nativeBinding: string | null;
  samplesDir: string;
}

/**
 * Where the core finds its data and its SQLite driver. The environment may redirect both only in
 * a development run (`npm start` builds the driver for Electron and passes its path): in a
 * packaged app, an environment variable must never be able to load an arbitrary `.node` file
 * into the core, nor point it at someone else's data.
 */
export function hostConfig(opts: { env: NodeJS.ProcessEnv; isPackaged: boolean; userData: string; resourcesDir: string }): HostConfig {
  const dev = !opts.isPackaged;
  return {
    dataDir: (dev ? opts.env.CASEBOOK_DATA_DIR : undefined) ?? join(opts.userData, 'data'),
    nativeBinding: (dev ? opts.env.CASEBOOK_NATIVE_BINDING : undefined) ?? null,
    samplesDir: join(opts.resourcesDir, 'samples'),
  };
}
