/**
 * Child process for the crash test: imports a bundle and prints "staged N" after each batch,
 * so the parent can kill -9 it in the middle of the import.
 *   node --import tsx import-then-hang.ts DATA_DIR BUNDLE PUBKEY_X
 */
import { Core } from '../../electron/core/core.ts';

const [dataDir, bundle, x] = process.argv.slice(2) as [string, string, string];
const core = await Core.open({ dataDir, host: 'web', now: () => new Date('2026-06-01T00:00:00Z') });
await core.importBundle(bundle, {
  trusted: [{ jwk: { kty: 'OKP', crv: 'Ed25519', x }, label: 'test', bundlePrefix: null }],
  onProgress: (done) => {
    process.stdout.write(`staged ${done}\n`);
    // Slow down between batches so the kill lands mid-import, not after the commit.
    const until = Date.now() + 50;
    while (Date.now() < until);
  },
});
process.stdout.write('committed\n');
