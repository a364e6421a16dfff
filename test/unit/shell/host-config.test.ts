import { describe, expect, it } from 'vitest';
import { hostConfig } from '../../../electron/main/host-config.ts';

const env = { CASEBOOK_NATIVE_BINDING: '/tmp/evil.node', CASEBOOK_DATA_DIR: '/tmp/someone-elses-data' };
const base = { userData: '/home/ada/.config/Casebook', resourcesDir: '/opt/Casebook/resources' };

describe('where the Electron shell points the core', () => {
  it('a packaged app ignores CASEBOOK_NATIVE_BINDING and CASEBOOK_DATA_DIR: no environment variable loads a .node file into the core', () => {
    expect(hostConfig({ ...base, env, isPackaged: true })).toEqual({
      dataDir: '/home/ada/.config/Casebook/data',
      nativeBinding: null,
      samplesDir: '/opt/Casebook/resources/samples',
    });
  });

  it('a development run (`npm start`) takes both from the environment', () => {
    expect(hostConfig({ ...base, env, isPackaged: false })).toMatchObject({ dataDir: '/tmp/someone-elses-data', nativeBinding: '/tmp/evil.node' });
    expect(hostConfig({ ...base, env: {}, isPackaged: false })).toMatchObject({ dataDir: '/home/ada/.config/Casebook/data', nativeBinding: null });
  });
});
