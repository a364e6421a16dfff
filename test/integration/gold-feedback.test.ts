/**
 * Calibration feedback: the minimal bundle's compare task is a gold item (reference: r2). The
 * reference appears only after submitting, named by the letter this annotator saw it under,
 * and never on a bundle that turns the feedback off or on a task without gold.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/core.ts';
import type { AnnotationContent } from '../../shared/domain/index.ts';
import { buildMinimal, call, coreWithMinimal, MINIMAL_SRC, orgKey, tempDir } from '../helpers/workspace.ts';

const ref = { bundleId: 'test.minimal', taskId: 't-compare' };
const answer = (choice: string): AnnotationContent => ({
  answer: { kind: 'compare', preference: { choice, strength: 2 }, ranking: null, scores: { r1: { accuracy: 1, safe: false }, r2: { accuracy: 5, safe: true } }, rationale: 'checked the dose' },
  assumptions: [],
  escalations: [],
  highlights: [],
});

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

describe('calibration feedback on gold items', () => {
  it('shows the reference beside the answer only after submitting, in the letters the annotator saw', async () => {
    const { core } = await coreWithMinimal(t.dir);
    try {
      expect(await call(core, 'tasks.goldFeedback', ref)).toEqual({ available: false, reason: 'not_submitted' });
      const view = await call(core, 'tasks.open', ref);
      await call(core, 'annotations.submit', { ...ref, content: answer('r1') });
      const letter = (id: string) => `Response ${String.fromCharCode(65 + view.displayOrder.indexOf(id))}`;
      expect(await call(core, 'tasks.goldFeedback', ref)).toEqual({ available: true, lines: [{ label: 'Preferred', reference: letter('r2'), yours: letter('r1'), match: false }], note: null });
      expect(await call(core, 'tasks.goldFeedback', { bundleId: 'test.minimal', taskId: 't-exemplar' })).toEqual({ available: false, reason: 'not_gold' });
    } finally {
      await core.close();
    }
  });

  it('stays hidden on a blind test set (calibrationFeedback: false)', async () => {
    const src = join(t.dir, 'src');
    mkdirSync(src);
    cpSync(MINIMAL_SRC, src, { recursive: true });
    const settings = JSON.parse(readFileSync(join(src, 'bundle.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(src, 'bundle.json'), JSON.stringify({ ...settings, calibrationFeedback: false }));
    const key = orgKey();
    const file = await buildMinimal(t.dir, key, 'blind.cbundle', src);
    const core = await Core.open({ dataDir: join(t.dir, 'data'), host: 'web' });
    try {
      await core.importBundle(file, { trusted: [key.trusted] });
      await call(core, 'identity.setup', { displayName: 'Dr Ada Example', role: 'annotator' });
      await call(core, 'tasks.open', ref);
      await call(core, 'annotations.submit', { ...ref, content: answer('r2') });
      expect(await call(core, 'tasks.goldFeedback', ref)).toEqual({ available: false, reason: 'hidden_by_bundle' });
    } finally {
      await core.close();
    }
  });
});
