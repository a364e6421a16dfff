// `npm test`: everything CI runs, in order — lint, typecheck, build, unit + integration tests
// (Vitest, plain Node), end-to-end tests (Playwright in Chromium through the browser host),
// then one summary line: "N passed, M failed, K skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
const only = process.argv.slice(2);
const want = (step) => only.length === 0 || only.includes(step);

function step(name, cmd, args, env = {}) {
  process.stderr.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  process.stderr.write(`=== ${name}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return r.status === 0;
}

function ensureChromium() {
  const bin = process.env.CASEBOOK_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(bin)) return true;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    process.stderr.write('Chromium is missing: installing Debian\'s chromium package for the browser tests.\n');
    return step('install chromium', 'sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null']);
  }
  process.stderr.write(`Chromium not found at ${bin}: install it (Debian: apt-get install -y chromium) or set CASEBOOK_CHROMIUM.\n`);
  return false;
}

const failures = [];
let passed = 0;
let failed = 0;
let skipped = 0;

if (want('lint') && !step('lint', 'npx', ['eslint', '--max-warnings=0', '.'])) failures.push('lint');
if (want('typecheck')) {
  for (const p of ['tsconfig.json', 'renderer/tsconfig.json', 'test/e2e/tsconfig.json']) {
    if (!step(`typecheck ${p}`, 'npx', ['tsc', '-p', p])) failures.push(`typecheck ${p}`);
  }
}
if ((want('unit') || want('e2e')) && !step('build', 'npm', ['run', '-s', 'build'])) failures.push('build');

if (want('unit')) {
  const out = join(results, 'vitest.json');
  if (!step('unit + integration', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}`])) failures.push('unit + integration');
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  }
}

if (want('e2e')) {
  const out = join(results, 'e2e-report.json');
  if (!ensureChromium()) failures.push('chromium');
  else if (!step('end-to-end', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out })) failures.push('end-to-end');
  if (existsSync(out)) {
    const s = JSON.parse(readFileSync(out, 'utf8')).stats;
    passed += s.expected;
    failed += s.unexpected + s.flaky;
    skipped += s.skipped;
  }
}

process.stderr.write(`\n${failures.length ? `failed steps: ${failures.join(', ')}` : 'all steps ok'}\n`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failures.length || failed ? 1 : 0);
