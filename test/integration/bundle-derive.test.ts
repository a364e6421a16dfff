import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BundleSettings, Rubric, Taxonomy, type Answer, type Task } from '../../shared/domain/index.ts';
import { buildBundle, openBundle } from '../../shared/node/bundle/index.ts';
import { DeriveError, writeDerivedSource, type DeriveSource } from '../../shared/node/bundle/derive.ts';
import { generateKeyPair } from '../../shared/node/keys.ts';
import { judgeSteps, prefer, unit } from '../support/export-units.ts';
import { SAMPLES } from '../support/server-work.ts';
import { tempDir } from '../helpers/workspace.ts';

const tmp = tempDir('cb-derive-');
afterAll(() => tmp.cleanup());

function clinicalSource(): DeriveSource & { tasks: Map<string, Task> } {
  const dir = join(SAMPLES, 'clinical');
  const taskLines = readFileSync(join(dir, 'tasks.jsonl'), 'utf8').split('\n').filter(Boolean);
  const tasks = new Map(taskLines.map((l) => JSON.parse(l) as Task).map((t) => [t.id, t]));
  return {
    settings: BundleSettings.parse(JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8'))),
    guidelines: readFileSync(join(dir, 'guidelines.md'), 'utf8'),
    rubric: Rubric.parse(JSON.parse(readFileSync(join(dir, 'rubric.json'), 'utf8'))),
    taxonomy: Taxonomy.parse(JSON.parse(readFileSync(join(dir, 'taxonomy.json'), 'utf8'))),
    taskLines,
    taskIds: new Set(tasks.keys()),
    tasks,
  };
}

describe('bundle derive --from-failures', () => {
  it('turns failed steps, "both unacceptable" and low-scored drafts into exemplar tasks that bundle build accepts, linked to their annotations', async () => {
    const src = clinicalSource();
    const bundle = { id: src.settings.id, version: 1 };
    const traj = src.tasks.get('clin-012') as Extract<Task, { kind: 'trajectory' }>;
    const verdicts = traj.steps.map((s) => (s.id === 's13' ? 'unsafe' : s.id === 's9' ? 'error' : 'good') as 'good' | 'error' | 'unsafe');
    const judged: Answer = judgeSteps(traj, verdicts, 's9', { s13: 'Do not start the full dose: check the INR first.' });
    const exemplar = src.tasks.get('clin-007')!;
    const lowScore: Answer = { kind: 'exemplar', corrected: 'A better handover.', draftScores: { completeness: 2, safety: 4 }, note: '', errorTypes: [], confirmedUnchanged: false, diffStats: null };
    const units = [
      unit(traj, { bundle, annotations: [{ who: 'ada', answer: judged }, { who: 'ben', answer: judged }] }),
      unit(src.tasks.get('clin-003')!, { bundle, annotations: [{ who: 'ada', answer: prefer('both_unacceptable') }] }),
      unit(exemplar, { bundle, annotations: [{ who: 'ben', answer: lowScore }] }),
      // Nothing failed here: no task.
      unit(src.tasks.get('clin-002')!, { bundle, annotations: [{ who: 'ada', answer: prefer('r1') }] }),
      // Another bundle's work is not this bundle's next version.
      unit(src.tasks.get('clin-004')!, { bundle: { id: 'sample.other', version: 1 }, annotations: [{ who: 'ada', answer: prefer('both_unacceptable') }] }),
    ];
    units[0]!.annotations[0]!.content.assumptions = [{ id: 'as1', category: 'patient', text: 'Assumed the INR was taken today.', scope: { type: 'task' } }];
    const out = join(tmp.dir, 'derived');
    const r = await writeDerivedSource(src, units, [{ category: 'patient', categoryLabel: 'Patient facts', text: 'Assumed the INR was taken today.', markedBy: 'Rita Reviewer', taskId: 'clin-012' }], out);
    expect(r).toMatchObject({ version: 2, derived: 4, byKind: { step_error: 1, step_unsafe: 1, both_unacceptable: 1, low_draft_score: 1 }, alreadyPresent: 0, candidates: 1 });

    const file = join(tmp.dir, 'derived.cbundle');
    const key = generateKeyPair();
    await buildBundle({ sourceDir: out, key: key.privateJwk, outFile: file });
    const opened = await openBundle(file, [{ jwk: key.publicJwk, label: 'org', bundlePrefix: null }]);
    const tasks: Task[] = [];
    try {
      for await (const l of opened.tasks()) tasks.push(l.task);
      expect(opened.manifest).toMatchObject({ bundleId: 'sample.clinical-triage', version: 2 });
      expect(opened.guidelines).toContain('## DRAFT: guidance from recurring assumptions');
      expect(opened.guidelines).toContain('- Assumed the INR was taken today. _(task clin-012; marked by Rita Reviewer)_');
    } finally {
      opened.close();
    }
    expect(tasks).toHaveLength(14 + 4);
    const derived = new Map(tasks.slice(14).map((t) => [t.id, t]));
    expect([...derived.keys()]).toEqual(['clin-012.fix-s9', 'clin-012.fix-s13', 'clin-003.rewrite', 'clin-007.redraft']);

    const unsafe = derived.get('clin-012.fix-s13')!;
    if (unsafe.kind !== 'exemplar') throw new Error('exemplar expected');
    const s13 = traj.steps.findIndex((s) => s.id === 's13');
    // The run before the failed step is the prompt; the step as the agent wrote it is the draft.
    expect(unsafe.context.at(-1)).toMatchObject({ role: 'tool' });
    expect(unsafe.context.filter((m) => m.role !== 'system')).toHaveLength(s13);
    expect(unsafe.metadata).toMatchObject({
      derivedFrom: { bundleId: 'sample.clinical-triage', bundleVersion: 1, taskId: 'clin-012', taskHash: units[0]!.taskHash, failure: 'step_unsafe', step: 's13', sources: units[0]!.annotations.map((a) => `annotation:${a.id}`).sort() },
      annotatorCorrections: ['Do not start the full dose: check the INR first.'],
      assumptions: [{ category: 'patient', text: 'Assumed the INR was taken today.', annotator: 'ada' }],
    });
    const rewrite = derived.get('clin-003.rewrite')!;
    const c3 = src.tasks.get('clin-003') as Extract<Task, { kind: 'compare' }>;
    expect(rewrite).toMatchObject({ kind: 'exemplar', context: c3.context, draft: c3.responses[0]!.content, model: c3.responses[0]!.model, metadata: { derivedFrom: { failure: 'both_unacceptable', sources: [`annotation:${units[1]!.annotations[0]!.id}`] } } });
    expect(derived.get('clin-007.redraft')).toMatchObject({ metadata: { derivedFrom: { failure: 'low_draft_score', lowScores: { completeness: 2 }, below: 3 }, annotatorCorrections: ['A better handover.'] } });

    // Deriving again from the version that already holds them adds nothing twice.
    const again = await writeDerivedSource({ ...src, taskIds: new Set([...src.taskIds, ...derived.keys()]) }, units, [], join(tmp.dir, 'again'));
    expect(again).toMatchObject({ derived: 0, alreadyPresent: 4 });
    await expect(writeDerivedSource(src, units, [], out)).rejects.toThrow(DeriveError);
  });
});
