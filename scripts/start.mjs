// `npm start`: build the app, then open it in Electron. Where Electron's binary cannot be
// downloaded (no network to its release host), say so in one line and point to `npm run web`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const say = (line) => process.stderr.write(`casebook: ${line}\n`);

function electronBinary() {
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  const resolveBin = () => (existsSync(pathFile) ? join(pkgDir, 'dist', readFileSync(pathFile, 'utf8')) : null);
  let bin = resolveBin();
  if (bin && existsSync(bin)) return bin;
  // Electron 45 downloads its binary on first use; do it quietly so a failure is one clear line.
  const r = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: 'pipe', timeout: 180_000 });
  bin = resolveBin();
  return r.status === 0 && bin && existsSync(bin) ? bin : null;
}

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const bin = electronBinary();
if (!bin) {
  say("the Electron binary could not be downloaded on this machine, so the desktop app cannot open here. Run `npm run web` to use Casebook in your browser instead.");
  process.exit(1);
}

// The workstation store's driver (better-sqlite3-multiple-ciphers: better-sqlite3's API over
// SQLite3 Multiple Ciphers) must be compiled for Electron's Node ABI; keep that build apart from
// the one the tests use (node_modules), and hand its path to the core. The server keeps plain
// better-sqlite3 and never runs in Electron.
const DRIVER = 'better-sqlite3-multiple-ciphers';
const electronVersion = require('electron/package.json').version;
const nativeDir = join(root, 'out', 'native', `electron-${electronVersion}`, DRIVER);
const nativeBinding = join(nativeDir, 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(nativeBinding)) {
  mkdirSync(dirname(nativeDir), { recursive: true });
  cpSync(dirname(require.resolve(`${DRIVER}/package.json`)), nativeDir, { recursive: true, filter: (p) => !p.includes(`${join(DRIVER, 'build')}`) });
  const gyp = spawnSync('npm', ['exec', '--yes', '--', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers', '--runtime=electron'], {
    cwd: nativeDir,
    stdio: 'inherit',
  });
  if (gyp.status !== 0 || !existsSync(nativeBinding)) {
    say('could not build the SQLite driver for Electron (Electron headers unavailable?). Run `npm run web` to use Casebook in your browser instead.');
    process.exit(1);
  }
}

run('npx', ['electron-vite', 'build']);
run('npx', ['tsx', 'scripts/build-samples.ts']);
const child = spawn(bin, ['.'], { cwd: root, stdio: 'inherit', env: { ...process.env, CASEBOOK_NATIVE_BINDING: nativeBinding } });
child.on('exit', (code) => process.exit(code ?? 0));
