/**
 * `casebook agreement --data DIR --json` on a real reviewer's workstation holding three
 * annotators' planted work (received as signed batches): the JSON names the position-biased
 * annotator, the criterion answered at random and the lenient scorer — and nothing else of theirs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/main.ts';
import type { Io } from '../../electron/cli/io.ts';
import type { InsightReport } from '../../shared/insight/index.ts';
import { tempDir } from '../helpers/workspace.ts';
import { plantedStore } from '../support/planted-store.ts';

function io(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

const t = tempDir();
let dataDir = '';

beforeAll(async () => {
  const store = await plantedStore(t.dir, { compare: 90, trajectories: 15 });
  dataDir = store.dataDir;
  await store.core.close();
}, 120_000);
afterAll(() => t.cleanup());

describe('casebook agreement --data', () => {
  it("finds the planted bias and disagreement in the workstation's work, in JSON", async () => {
    const o = io();
    expect(await run(['agreement', '--data', dataDir, '--json', '--seed', '5'], o)).toBe(0);
    const r = JSON.parse(o.stdout.join('\n')) as InsightReport;
    const idOf = (name: string) => r.coders.find((c) => c.name === name)!.id;
    expect(r.coders.map((c) => c.name)).toEqual(['ana', 'ben', 'cy']);
    expect(r.tasks).toBe(105);
    expect(r.positionBias.find((b) => b.coder === idOf('cy'))).toMatchObject({ trials: 90, hits: 90 });
    const flags = r.flags.map((f) => f.id);
    expect(flags.filter((f) => f.startsWith('position:'))).toEqual([`position:${idOf('cy')}`]);
    expect(flags).toContain('field:compare.score.safety');
    expect(flags).not.toContain('field:compare.score.helpfulness');
    // The rubric came from the imported bundle: the Likert criterion is ordinal, with its label.
    expect(r.fields.find((f) => f.field === 'compare.score.helpfulness')).toMatchObject({ level: 'ordinal', label: "Criterion 'Helpfulness' (comparisons)" });
    expect(flags).toContain(`leniency:compare.score.helpfulness:${idOf('ben')}`);
    expect(r.failureModes.map((f) => f.label).sort()).toEqual(['Missing check', 'Wrong dose']);
    expect(r.judges.map((j) => j.model)).toEqual(['grader-1']);
  });

  it('prints the same figures as text, flags first, and narrows to one bundle', async () => {
    const o = io();
    expect(await run(['agreement', '--data', dataDir, '--bundle', 'b.insight'], o)).toBe(0);
    expect(o.stdout[0]).toMatch(/^105 tasks, 315 annotations by 3 annotators; bundles b\.insight \(v1\)$/);
    expect(o.stdout).toContain('Flags:');
    expect(o.stdout.some((l) => /^ {2}! Annotator 'cy' preferred the response shown first in 90 of 90 comparisons/.test(l))).toBe(true);
    const none = io();
    expect(await run(['agreement', '--data', dataDir, '--bundle', 'no.such', '--json'], none)).toBe(0);
    expect(JSON.parse(none.stdout.join('\n'))).toMatchObject({ tasks: 0, fields: [], flags: [] });
  });

  it('refuses a folder without Casebook data, and a bad seed, with a plain message', async () => {
    const o = io();
    expect(await run(['agreement', '--data', t.dir], o)).toBe(1);
    expect(o.stderr.join('\n')).toMatch(/no Casebook data here/);
    const s = io();
    expect(await run(['agreement', '--data', dataDir, '--seed', 'x'], s)).toBe(2);
  });
});
