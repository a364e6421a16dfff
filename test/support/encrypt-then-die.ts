/**
 * Child process for the migration kill test: opens a plain store with a passphrase, which
 * encrypts it in place, and kills itself with SIGKILL at the named step (or, with no step,
 * prints each step so the parent can kill it at a moment of its choosing).
 *   node --import tsx encrypt-then-die.ts DATA_DIR PASSPHRASE [STEP]
 */
import { openStore } from '../../electron/core/store/open-store.ts';

const [dataDir, passphrase, dieAt] = process.argv.slice(2) as [string, string, string | undefined];
const store = await openStore(dataDir, { kind: 'passphrase', passphrase }, {
  onEncryptStep: (step) => {
    process.stdout.write(`${step}\n`);
    if (step === dieAt) process.kill(process.pid, 'SIGKILL');
  },
});
store.db.close();
process.stdout.write('done\n');
