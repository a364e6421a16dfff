/**
 * Seeds the review-and-sync end-to-end test against a real sync server on loopback: three
 * annotators' workstations (real cores, enrolled with tokens the admin's CLI issues) submit work
 * on the minimal bundle and sync it; the reviewer's workstation is set up and enrolled as a
 * reviewer but holds none of their work (the test pulls it in the UI).
 *
 * - Ana and Ben disagree on the compare task; Ana leaves the optional "Safe to follow" criterion
 *   unscored, Ben scores it. They give the identical exemplar answer (unanimous, for bulk accept).
 *   Ana, Ben and Cy disagree on the trajectory task (Cy worked on that task only).
 * - `revise`: Ana revises her compare answer after the decision (now scoring "Safe to follow" as
 *   Ben did, and softening her preference) and syncs: the late revision that makes it stale.
 *
 * Run as a script:
 *   node --import tsx test/support/seed-review-sync.ts seed DATA_DIR WORK_DIR SERVER_DIR SERVER_URL
 *   node --import tsx test/support/seed-review-sync.ts revise WORK_DIR
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import { addTrustedKey } from '../../electron/core/trust/trust-store.ts';
import type { AnnotationContent, Answer, Role } from '../../shared/domain/index.ts';
import { buildMinimal, call, orgKey } from '../helpers/workspace.ts';

const BUNDLE = 'test.minimal';

const content = (answer: Answer): AnnotationContent => ({ answer, assumptions: [], escalations: [], highlights: [] });
const compare = (choice: 'r1' | 'r2', strength: 1 | 2 | 3, acc: [number, number], safe: [boolean, boolean] | null, rationale: string): AnnotationContent =>
  content({
    kind: 'compare',
    preference: { choice, strength },
    ranking: null,
    scores: safe ? { r1: { accuracy: acc[0], safe: safe[0] }, r2: { accuracy: acc[1], safe: safe[1] } } : { r1: { accuracy: acc[0] }, r2: { accuracy: acc[1] } },
    rationale,
  });
const trajectory = (verdicts: ('good' | 'error')[], firstErrorStepId: string | null, outcome: 'success' | 'partial' | 'failure'): AnnotationContent =>
  content({
    kind: 'trajectory',
    steps: verdicts.map((verdict, i) => ({ stepId: `s${i + 1}`, verdict, errorTypes: [], note: '', corrected: null })),
    firstErrorStepId,
    outcome,
    scores: {},
    rationale: 'Where the run goes wrong.',
  });
const EXEMPLAR = content({ kind: 'exemplar', corrected: 'Twelve years for a deed.', draftScores: { accuracy: 2 }, note: '', errorTypes: [], confirmedUnchanged: false, diffStats: null });

const PEOPLE: { name: string; work: Partial<Record<'t-compare' | 't-exemplar' | 't-trajectory', AnnotationContent>> }[] = [
  {
    name: 'Ana Annotator',
    work: {
      't-compare': compare('r2', 3, [1, 5], null, 'Weight-based dosing is required under 50 kg.'),
      't-exemplar': EXEMPLAR,
      't-trajectory': trajectory(['good', 'error', 'error'], 's2', 'failure'),
    },
  },
  {
    name: 'Ben Annotator',
    work: {
      't-compare': compare('r1', 1, [4, 3], [true, true], 'The simple answer is what a patient needs.'),
      't-exemplar': EXEMPLAR,
      't-trajectory': trajectory(['good', 'good', 'error'], 's3', 'partial'),
    },
  },
  { name: 'Cy Annotator', work: { 't-trajectory': trajectory(['good', 'good', 'good'], null, 'success') } },
];

/** Ana's late revision of her compare answer: "Safe to follow" now scored as Ben did, a softer preference. */
const ANA_REVISED = compare('r2', 2, [1, 5], [true, true], 'Weight-based dosing is required under 50 kg; both are safe to follow.');

const dirOf = (work: string, name: string): string => join(work, name.replace(/\W+/g, '-'));

/** The admin issues an enrolment token bound to this person and role, with the server's own CLI. */
function token(serverDir: string, userId: string, name: string, role: Role): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'server', 'token', '--data', serverDir, '--user', userId, '--name', name, '--role', role], { encoding: 'utf8' });
  const t = r.stdout.trim().split('\n')[0] ?? '';
  if (r.status !== 0 || !t.startsWith('cbenrol_')) throw new Error(`server token failed: ${r.stderr}`);
  return t;
}

async function workstation(dir: string, bundle: string, trusted: Parameters<typeof addTrustedKey>[1]['jwk'], name: string, role: Role, serverDir: string, serverUrl: string): Promise<Core> {
  const core = await Core.open({ dataDir: dir, host: 'web' });
  addTrustedKey(core.ctx.db, { jwk: trusted, label: 'Test org', bundlePrefix: null }, new Date());
  await call(core, 'bundles.importFile', { path: bundle });
  const me = await call(core, 'identity.setup', { displayName: name, role });
  await call(core, 'sync.enrol', { serverUrl, token: token(serverDir, me.userId, name, role) });
  return core;
}

export async function seed(dataDir: string, work: string, serverDir: string, serverUrl: string): Promise<void> {
  const key = orgKey();
  const bundle = await buildMinimal(work, key);
  const ids: Record<string, string> = {};
  for (const p of PEOPLE) {
    const core = await workstation(dirOf(work, p.name), bundle, key.trusted.jwk, p.name, 'annotator', serverDir, serverUrl);
    try {
      for (const [taskId, c] of Object.entries(p.work)) await call(core, 'annotations.submit', { bundleId: BUNDLE, taskId, content: c });
      const r = await core.sync.syncNow();
      if (r.state !== 'done') throw new Error(`${p.name} could not sync: ${JSON.stringify(r)}`);
      ids[p.name] = (await call(core, 'identity.get', {}))!.userId;
    } finally {
      await core.close();
    }
  }
  writeFileSync(join(work, 'annotators.json'), JSON.stringify(ids));
  const reviewer = await workstation(dataDir, bundle, key.trusted.jwk, 'Senior Reviewer', 'reviewer', serverDir, serverUrl);
  await reviewer.close();
}

export async function revise(work: string): Promise<void> {
  const core = await Core.open({ dataDir: dirOf(work, 'Ana Annotator'), host: 'web' });
  try {
    await call(core, 'annotations.revise', { bundleId: BUNDLE, taskId: 't-compare' });
    await call(core, 'annotations.submit', { bundleId: BUNDLE, taskId: 't-compare', content: ANA_REVISED });
    const r = await core.sync.syncNow();
    if (r.state !== 'done') throw new Error(`Ana could not sync her revision: ${JSON.stringify(r)}`);
  } finally {
    await core.close();
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'seed' && args.length === 4) await seed(args[0]!, args[1]!, args[2]!, args[3]!);
else if (mode === 'revise' && args.length === 1) await revise(args[0]!);
else if (mode) throw new Error(`usage: seed DATA_DIR WORK_DIR SERVER_DIR SERVER_URL | revise WORK_DIR (got ${mode})`);
