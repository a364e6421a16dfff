/**
 * `casebook agreement --matrix`: the command run on CSV files, as a user would run it, checked
 * against the published values the library is tested on, and on hostile files.
 */
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/main.ts';
import type { Io } from '../../electron/cli/io.ts';
import { tempDir } from '../helpers/workspace.ts';

const KRIPPENDORFF = fileURLToPath(new URL('../fixtures/agreement/krippendorff-2011.csv', import.meta.url));

function io(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

async function json(args: string[]): Promise<Record<string, unknown> & { result: { defined: boolean; value: number; ci: { lower: number; upper: number; seed: number; replicates: number } | null } }> {
  const o = io();
  const code = await run(['agreement', ...args, '--json'], o);
  expect(code, o.stderr.join('\n')).toBe(0);
  return JSON.parse(o.stdout.join('\n'));
}

async function fails(args: string[], code: number): Promise<string> {
  const o = io();
  expect(await run(['agreement', ...args], o)).toBe(code);
  expect(o.stdout).toEqual([]);
  return o.stderr.join('\n');
}

const t = tempDir('cb-agreement-');
afterAll(() => t.cleanup());
function csv(name: string, text: string): string {
  const path = join(t.dir, name);
  writeFileSync(path, text);
  return path;
}

describe('casebook agreement --matrix', () => {
  // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": .743 nominal, .815 ordinal,
  // .849 interval, .797 ratio (see test/unit/agreement/reference-values.test.ts for sources).
  it("reproduces Krippendorff's worked example at every level, with a seeded interval", async () => {
    const nominal = await json(['--matrix', KRIPPENDORFF, '--metric', 'alpha']);
    expect(nominal).toMatchObject({ metric: 'alpha', level: 'nominal', coders: ['A', 'B', 'C', 'D'], units: 12, bootstrap: { replicates: 1000, seed: 1 } });
    expect(nominal.result).toMatchObject({ defined: true, pairableUnits: 11, pairableValues: 40, ci: { replicates: 1000, seed: 1 } });
    expect(nominal.result.value).toBeCloseTo(0.74342, 5);
    expect(nominal.result.ci!.lower).toBeLessThan(0.743);
    expect(await json(['--matrix', KRIPPENDORFF, '--metric', 'alpha'])).toEqual(nominal);
    for (const [level, expected] of [['ordinal', 0.815], ['interval', 0.849], ['ratio', 0.797]] as const) {
      const r = await json(['--matrix', KRIPPENDORFF, '--metric', 'alpha', '--level', level]);
      expect(r.result.value, level).toBeCloseTo(expected, 3);
    }
  });

  it("gives Gwet's published figures for Fleiss, AC1 and percent agreement on the same file", async () => {
    expect((await json(['--matrix', KRIPPENDORFF, '--metric', 'fleiss'])).result.value).toBeCloseTo(0.76117, 5);
    expect((await json(['--matrix', KRIPPENDORFF, '--metric', 'ac1'])).result.value).toBeCloseTo(0.77544, 5);
    expect((await json(['--matrix', KRIPPENDORFF, '--metric', 'percent'])).result.value).toBeCloseTo(0.8181818, 7);
    expect((await json(['--matrix', KRIPPENDORFF, '--metric', 'ac1', '--weights', 'quadratic'])).result.value).toBeCloseTo(0.914, 3);
  });

  it('gives Cohen and tau-b per pair of coders, and a top-level result for two coders', async () => {
    const four = await json(['--matrix', KRIPPENDORFF, '--metric', 'cohen', '--bootstrap', '0']);
    expect(four.result).toBeUndefined();
    expect((four.pairs as { coders: string[] }[]).map((p) => p.coders.join('-'))).toEqual(['A-B', 'A-C', 'A-D', 'B-C', 'B-D', 'C-D']);
    // SAS PROC FREQ example (statsmodels' test_inter_rater.py, table10): 0.4842, linear 0.4701.
    const table = [[0, 4, 1], [0, 8, 0], [0, 1, 5]];
    const a: number[] = [];
    const b: number[] = [];
    table.forEach((row, i) => row.forEach((n, j) => Array.from({ length: n }, () => (a.push(i + 1), b.push(j + 1)))));
    const sas = csv('sas.csv', `rater,${a.map((_, i) => `s${i + 1}`).join(',')}\nfirst,${a.join(',')}\nsecond,${b.join(',')}\n`);
    expect((await json(['--matrix', sas, '--metric', 'cohen'])).result.value).toBeCloseTo(0.4842, 4);
    expect((await json(['--matrix', sas, '--metric', 'cohen', '--weights', 'linear'])).result.value).toBeCloseTo(0.4701, 4);
    // SciPy's kendalltau example: tau-b = -0.4714, p = 0.2827.
    const ranks = csv('ranks.csv', 'coder,r1,r2,r3,r4,r5\nx,12,2,1,12,2\ny,1,4,7,1,0\n');
    const tau = await json(['--matrix', ranks, '--metric', 'tau-b']);
    expect(tau.result.value).toBeCloseTo(-0.47140452079103173, 12);
    expect(tau.result).toMatchObject({ pValue: expect.closeTo(0.2827454599327748, 10), n: 5 });
    expect(tau).toMatchObject({ bootstrap: { over: 'items' } });
  });

  it('follows --seed and --bootstrap, and explains an undefined figure instead of printing NaN', async () => {
    const one = await json(['--matrix', KRIPPENDORFF, '--metric', 'alpha', '--seed', '7', '--bootstrap', '300']);
    const two = await json(['--matrix', KRIPPENDORFF, '--metric', 'alpha', '--seed', '8', '--bootstrap', '300']);
    expect(one.result.ci).toMatchObject({ seed: 7, replicates: 300 });
    expect(one.result.ci!.lower).not.toBe(two.result.ci!.lower);
    expect((await json(['--matrix', KRIPPENDORFF, '--metric', 'alpha', '--bootstrap', '0'])).result.ci).toBeNull();
    const same = csv('same.csv', 'coder,u1,u2,u3\nann,good,good,good\nbob,good,,good\n');
    const o = io();
    expect(await run(['agreement', '--matrix', same, '--metric', 'alpha'], o)).toBe(0);
    expect(o.stdout[0]).toMatch(/^Krippendorff's alpha \(nominal\): undefined: every value given is the same/);
    expect(o.stdout.join('\n')).not.toMatch(/NaN/);
  });

  it('prints a plain summary with Krippendorff’s thresholds', async () => {
    const o = io();
    expect(await run(['agreement', '--matrix', KRIPPENDORFF, '--metric', 'alpha', '--level', 'interval'], o)).toBe(0);
    expect(o.stdout[0]).toMatch(/^Krippendorff's alpha \(interval\): 0\.849 {2}95% CI \[0\.\d{3}, 1\.000\]$/);
    expect(o.stdout[1]).toBe('  4 coders, 12 units; bootstrap: 1000 replicates over units, seed 1');
    expect(o.stdout[2]).toMatch(/reliable by Krippendorff’s standard/);
  });

  it('names the file, line and column of every problem in a bad CSV, and computes nothing', async () => {
    const bad = csv('bad.csv', 'coder,u1,u2,u2,\nann,1,2,3,4\nbob,1,2\nann,1,x,3,4\n,1,1,1,1\n');
    const msg = await fails(['--matrix', bad, '--metric', 'alpha', '--level', 'interval'], 1);
    expect(msg).toContain('bad.csv: 6 problems, nothing computed');
    expect(msg).toContain('bad.csv: line 1, column 4: unit id "u2" appears twice (also column 3)');
    expect(msg).toContain('bad.csv: line 1, column 5: the header has no unit id here');
    expect(msg).toContain('bad.csv: line 3: has 3 fields, the header has 5');
    expect(msg).toContain('bad.csv: line 4, column 1: coder "ann" appears twice (also line 2)');
    expect(msg).toContain('bad.csv: line 4, column 3: "x" (unit "u2") is not a number; --level interval needs numbers');
    expect(msg).toContain('bad.csv: line 5, column 1: the coder name is empty');
    expect(await fails(['--matrix', csv('quote.csv', 'coder,u1\nann,"1\n'), '--metric', 'alpha'], 1)).toMatch(/quote\.csv: line 2: has a quoted field that never ends/);
    expect(await fails(['--matrix', csv('empty.csv', ''), '--metric', 'alpha'], 1)).toMatch(/empty\.csv: the file is empty/);
    expect(await fails(['--matrix', csv('solo.csv', 'coder,u1\nann,1\n'), '--metric', 'alpha'], 1)).toMatch(/solo\.csv: has 1 coder row; agreement needs at least two/);
    expect(await fails(['--matrix', join(t.dir, 'missing.csv'), '--metric', 'alpha'], 1)).toMatch(/missing\.csv: cannot read the file \(ENOENT\)/);
    expect(await fails(['--matrix', csv('neg.csv', 'coder,u1,u2\nann,-1,2\nbob,1,2\n'), '--metric', 'alpha', '--level', 'ratio'], 1)).toMatch(/neg\.csv: Krippendorff's alpha \(ratio\) needs values ≥ 0; found -1/);
  });

  it('refuses options that do not fit, with the usage', async () => {
    expect(await fails(['--metric', 'alpha'], 2)).toMatch(/usage: casebook agreement --matrix FILE\.csv/);
    expect(await fails(['--matrix', KRIPPENDORFF], 2)).toMatch(/--metric is required/);
    expect(await fails(['--matrix', KRIPPENDORFF, '--metric', 'scotts-pi'], 2)).toMatch(/--metric: "scotts-pi" is not one of alpha, fleiss, cohen, ac1, tau-b, percent/);
    expect(await fails(['--matrix', KRIPPENDORFF, '--metric', 'cohen', '--level', 'ordinal'], 2)).toMatch(/--level goes with --metric alpha/);
    expect(await fails(['--matrix', KRIPPENDORFF, '--metric', 'alpha', '--weights', 'linear'], 2)).toMatch(/--weights goes with --metric cohen, fleiss, ac1, percent/);
    expect(await fails(['--matrix', KRIPPENDORFF, '--metric', 'alpha', '--seed', '2.5'], 2)).toMatch(/--seed: "2\.5" is not a whole number from 0 to 4294967295/);
    expect(await fails(['--matrix', KRIPPENDORFF, '--metric', 'alpha', '--seed=4294967296'], 2)).toMatch(/--seed: "4294967296" is not a whole number/);
    expect(await fails(['--matrix', KRIPPENDORFF, '--metric', 'alpha', '--bootstrap', 'many'], 2)).toMatch(/--bootstrap: "many" is not a whole number/);
    expect(await fails(['--matrix', KRIPPENDORFF, '--metric', 'alpha', '--level', 'cardinal'], 2)).toMatch(/--level: "cardinal" is not one of nominal, ordinal, interval, ratio/);
  });
});
