/**
 * Seeds the reviewer's workstation for the review screens' test, and the batch files it will be
 * given: two annotators' workstations (real cores) submit disagreeing answers on the minimal
 * bundle's compare, exemplar and trajectory tasks and export their signed batch files, the way
 * they would onto a USB stick. The reviewer's store knows their device keys (as a sync server's
 * device directory would tell it) but holds none of their work: the test imports it in the UI.
 * Also writes a tampered copy of one batch file.
 * Run as a script: `node --import tsx test/support/seed-review.ts DATA_DIR OUT_DIR`.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import { upsertKnownDevices, type DeviceKey } from '../../electron/core/sync/receive.ts';
import { addTrustedKey } from '../../electron/core/trust/trust-store.ts';
import type { AnnotationContent } from '../../shared/domain/index.ts';
import { toPublic } from '../../shared/node/keys.ts';
import { buildMinimal, call, orgKey } from '../helpers/workspace.ts';

const BUNDLE = 'test.minimal';

interface Work {
  name: string;
  compare: AnnotationContent;
  exemplar: AnnotationContent;
  trajectory: AnnotationContent;
}

const content = (answer: AnnotationContent['answer'], extra: Partial<AnnotationContent> = {}): AnnotationContent => ({ answer, assumptions: [], escalations: [], highlights: [], ...extra });

const WORK: Work[] = [
  {
    name: 'Ana Annotator',
    compare: content(
      { kind: 'compare', preference: { choice: 'r2', strength: 3 }, ranking: null, scores: { r1: { accuracy: 1 }, r2: { accuracy: 5 } }, rationale: 'Weight-based dosing is required under 50 kg.' },
      { assumptions: [{ id: 'as-1', category: 'renal_function', text: 'The patient has normal renal function.', scope: { type: 'task' } }] },
    ),
    exemplar: content({ kind: 'exemplar', corrected: 'Twelve years from the breach, for a deed.', draftScores: { accuracy: 2 }, note: 'Deeds have a longer period.', errorTypes: [], confirmedUnchanged: false, diffStats: null }),
    trajectory: content({
      kind: 'trajectory',
      steps: [
        { stepId: 's1', verdict: 'good', errorTypes: [], note: '', corrected: null },
        { stepId: 's2', verdict: 'error', errorTypes: [], note: 'Wrong patient: P-2 instead of P-1.', corrected: null },
        { stepId: 's3', verdict: 'error', errorTypes: [], note: '', corrected: null },
      ],
      firstErrorStepId: 's2',
      outcome: 'failure',
      scores: {},
      rationale: 'The call used the wrong patient.',
    }),
  },
  {
    name: 'Ben Annotator',
    compare: content({ kind: 'compare', preference: { choice: 'r1', strength: 1 }, ranking: null, scores: { r1: { accuracy: 4 }, r2: { accuracy: 3 } }, rationale: 'The simple answer is what a patient needs.' }),
    exemplar: content({ kind: 'exemplar', corrected: 'Twelve years for a deed.', draftScores: { accuracy: 1 }, note: '', errorTypes: [], confirmedUnchanged: false, diffStats: null }),
    trajectory: content({
      kind: 'trajectory',
      steps: [
        { stepId: 's1', verdict: 'good', errorTypes: [], note: '', corrected: null },
        { stepId: 's2', verdict: 'good', errorTypes: [], note: '', corrected: null },
        { stepId: 's3', verdict: 'error', errorTypes: [], note: 'The result is for the wrong patient.', corrected: null },
      ],
      firstErrorStepId: 's3',
      outcome: 'partial',
      scores: {},
      rationale: 'Only the result shows the mix-up.',
    }),
  },
];

export async function seedReview(dataDir: string, outDir: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'casebook-seed-review-'));
  const key = orgKey();
  const now = new Date();
  mkdirSync(outDir, { recursive: true });
  try {
    const bundle = await buildMinimal(work, key);
    const devices: DeviceKey[] = [];
    for (const w of WORK) {
      const core = await Core.open({ dataDir: join(work, w.name.replace(/\W+/g, '-')), host: 'web' });
      try {
        addTrustedKey(core.ctx.db, { jwk: key.trusted.jwk, label: 'Test org', bundlePrefix: null }, now);
        await call(core, 'bundles.importFile', { path: bundle });
        const me = await call(core, 'identity.setup', { displayName: w.name, role: 'annotator' });
        for (const taskId of ['t-compare', 't-exemplar', 't-trajectory'] as const) {
          const c = taskId === 't-compare' ? w.compare : taskId === 't-exemplar' ? w.exemplar : w.trajectory;
          await call(core, 'annotations.submit', { bundleId: BUNDLE, taskId, content: c });
        }
        const dir = join(work, `${me.deviceId}-out`);
        const { files } = await call(core, 'sync.exportBatches', { outDir: dir });
        for (const f of files) renameSync(f, join(outDir, `${w.name.split(' ')[0]!.toLowerCase()}-${f.split('/').pop()!}`));
        devices.push({ deviceId: me.deviceId, publicKey: toPublic(me.devicePublicKey), userId: me.userId, displayName: w.name, role: 'annotator' as const, revokedAt: null });
      } finally {
        await core.close();
      }
    }
    // A copy of one file with one byte of its signed payload changed.
    const first = readdirSync(outDir).filter((f) => f.endsWith('.cbatch')).sort()[0]!;
    const bytes = readFileSync(join(outDir, first));
    const env = JSON.parse(bytes.toString('utf8')) as { payload: string };
    const payload = Buffer.from(env.payload, 'base64').toString('utf8').replace('Weight-based', 'Weight-free');
    writeFileSync(join(outDir, 'tampered.cbatch'), JSON.stringify({ ...env, payload: Buffer.from(payload).toString('base64') }));

    // Who is who, for the test to open one annotator's work by their id.
    writeFileSync(join(outDir, 'annotators.json'), JSON.stringify(Object.fromEntries(devices.map((d) => [d.displayName, d.userId]))));

    const reviewer = await Core.open({ dataDir, host: 'web' });
    try {
      addTrustedKey(reviewer.ctx.db, { jwk: key.trusted.jwk, label: 'Test org', bundlePrefix: null }, now);
      await call(reviewer, 'bundles.importFile', { path: bundle });
      await call(reviewer, 'identity.setup', { displayName: 'Senior Reviewer', role: 'reviewer' });
      await reviewer.exclusive(() => upsertKnownDevices(reviewer.ctx.db, devices, now.toISOString()));
    } finally {
      await reviewer.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] && process.argv[3]) await seedReview(process.argv[2], process.argv[3]);
