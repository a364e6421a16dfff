import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The fuses Casebook requires (Electron security checklist: "Use fuses"), as electron-builder
 * names them, with the index @electron/fuses gives each in the binary's fuse wire.
 */
const REQUIRED = {
  runAsNode: { value: false, wire: 0, why: 'ELECTRON_RUN_AS_NODE would turn the app into a Node that runs any script' },
  enableCookieEncryption: { value: true, wire: 1, why: 'cookies encrypted at rest with the OS keychain' },
  enableNodeOptionsEnvironmentVariable: { value: false, wire: 2, why: 'NODE_OPTIONS could preload code into main' },
  enableNodeCliInspectArguments: { value: false, wire: 3, why: '--inspect would let anyone on the machine attach a debugger' },
  enableEmbeddedAsarIntegrityValidation: { value: true, wire: 4, why: 'a changed app.asar is refused' },
  onlyLoadAppFromAsar: { value: true, wire: 5, why: 'no app code from a loose folder beside the binary' },
  grantFileProtocolExtraPrivileges: { value: false, wire: 7, why: 'file:// gets no privileges; the app is served from app://' },
} as const;

/** The `electronFuses:` block of electron-builder.yml: `key: true|false` lines, two-space indented. */
function configuredFuses(): Record<string, boolean> {
  const lines = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === 'electronFuses:');
  expect(start, 'electron-builder.yml has an electronFuses block').toBeGreaterThanOrEqual(0);
  const fuses: Record<string, boolean> = {};
  for (const l of lines.slice(start + 1)) {
    const m = /^ {2}(\w+):\s*(true|false)\s*(#.*)?$/.exec(l);
    if (!m) break;
    fuses[m[1]!] = m[2] === 'true';
  }
  return fuses;
}

/** An unpacked app from `npm run dist` on this platform, if one was built. */
function packagedBinary(): string | null {
  const candidates = [join(ROOT, 'dist', 'linux-unpacked', 'casebook'), join(ROOT, 'dist', 'linux-unpacked', 'Casebook'), join(ROOT, 'dist', 'mac', 'Casebook.app', 'Contents', 'MacOS', 'Casebook'), join(ROOT, 'dist', 'win-unpacked', 'Casebook.exe')];
  return candidates.find((p) => existsSync(p)) ?? null;
}

describe('Electron fuses', () => {
  it('electron-builder.yml flips every fuse the checklist asks for, the safe way', () => {
    const fuses = configuredFuses();
    for (const [name, { value, why }] of Object.entries(REQUIRED)) expect(fuses[name], `${name}: ${why}`).toBe(value);
  });

  const bin = packagedBinary();
  it.skipIf(!bin)(`the packaged app's binary carries them (${bin ?? 'no packaged app: `npm run dist` needs Electron downloads, unavailable here'})`, async () => {
    // electron-builder's own fuse reader (a dependency of it, not of ours).
    const { getCurrentFuseWire } = await import('@electron/fuses');
    const wire = (await getCurrentFuseWire(bin!)) as unknown as Record<number, number>;
    // FuseState: the characters '1' (49) enabled and '0' (48) disabled in the binary's wire.
    for (const [name, { value, wire: i }] of Object.entries(REQUIRED)) expect(wire[i], name).toBe(value ? 49 : 48);
  });
});
