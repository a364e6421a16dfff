/**
 * Units → facts → figures on small hand-built work, where each figure can be worked out by
 * hand: which revision counts, what a unit is for each field, how display order becomes
 * position, where gold and adjudication come in, judges as coders, failure modes, filters.
 */
import { describe, expect, it } from 'vitest';
import { coderValue, collectFacts, collectFactsAsync, computeInsight, insightFromFacts, isoWeek, NO_WINNER, tasksBehind } from '../../../shared/insight/index.ts';
import type { ExportUnit } from '../../../shared/export/index.ts';
import { plantedWork, rubricOf, taxonomyOf } from '../../support/insight-work.ts';
import type { Answer, Rubric } from '../../../shared/domain/index.ts';
import { compareTask, judgeSteps, prefer, trajectoryTask, unit, uuidOf } from '../../support/export-units.ts';

const id = (name: string) => uuidOf(`annotator/${name}`);
const scored = (choice: string, scores: Record<string, Record<string, number | boolean>>): Answer => ({ ...(prefer(choice) as Extract<Answer, { kind: 'compare' }>), scores });

describe('insight facts', () => {
  it("counts each annotator's latest submitted revision on the unit's task content, never drafts or other content", () => {
    const task = compareTask('c1');
    const u = unit(task, {
      annotations: [
        { who: 'ana', answer: prefer('r1'), revision: 1 },
        { who: 'ana', answer: prefer('r2'), revision: 2 },
        { who: 'ben', answer: prefer('r1'), status: 'draft' },
        { who: 'cy', answer: prefer('r1'), taskHash: 'f'.repeat(64) },
      ],
    });
    const facts = collectFacts([u]);
    const pref = facts.fields.get('compare.preference')!;
    expect(facts.coderIds).toEqual([id('ana')]);
    expect(coderValue(pref, 0, 0)).toBe('r2');
  });

  it('puts each step verdict on its step, whatever order an answer lists the steps in', () => {
    const task = trajectoryTask('t1');
    const inOrder = judgeSteps(task, task.steps.map((_s, i) => (i === 1 ? 'error' : 'good')), task.steps[1]!.id);
    // The same verdicts listed backwards, and a third answer listing only two steps, the later first.
    const backwards = { ...inOrder, steps: [...(inOrder as Extract<Answer, { kind: 'trajectory' }>).steps].reverse() } as Answer;
    const some = { ...inOrder, steps: (inOrder as Extract<Answer, { kind: 'trajectory' }>).steps.filter((_s, i) => i === 1 || i === 3).reverse() } as Answer;
    const facts = collectFacts([unit(task, { annotations: [{ who: 'ana', answer: inOrder }, { who: 'ben', answer: backwards }, { who: 'cy', answer: some }] })]);
    const steps = facts.fields.get('trajectory.step')!;
    expect([...steps.part]).toEqual(task.steps.map((s) => s.id));
    for (let u = 0; u < steps.part.length; u++) {
      const want = u === 1 ? 'error' : 'good';
      expect([coderValue(steps, 0, u), coderValue(steps, 1, u), coderValue(steps, 2, u)]).toEqual([want, want, u === 1 || u === 3 ? want : undefined]);
    }
  });

  it('reads criterion scores per response at the level of their scale, signed strength, and the ISO week', () => {
    const rubric: Rubric = {
      criteria: [
        { id: 'clarity', label: 'Clarity', appliesTo: ['compare'], required: false, scale: { type: 'likert', points: [1, 2, 3].map((value) => ({ value, label: `${value}` })) } },
        { id: 'safe', label: 'Safe', appliesTo: ['compare'], required: false, scale: { type: 'binary', trueLabel: 'Y', falseLabel: 'N' } },
      ],
    };
    const u = unit(compareTask('c1'), {
      annotations: [
        { who: 'ana', answer: scored('r1', { r1: { clarity: 3, safe: true }, r2: { clarity: 1, safe: false } }) },
        { who: 'ben', answer: scored('r2', { r1: { clarity: 2, safe: true }, r2: { clarity: 2, safe: true } }) },
      ],
    });
    const facts = collectFacts([u], { rubricOf: () => rubric });
    const clarity = facts.fields.get('compare.score.clarity')!;
    expect(clarity.info).toMatchObject({ level: 'ordinal', categories: [1, 2, 3], label: "Criterion 'Clarity' (comparisons)" });
    expect(clarity.part).toEqual(['r1', 'r2']);
    expect(facts.fields.get('compare.score.safe')!.info.level).toBe('nominal');
    const safe = facts.fields.get('compare.score.safe')!;
    expect([coderValue(safe, 0, 0), coderValue(safe, 0, 1)]).toEqual(['true', 'false']);
    // prefer() gives strength 2: +2 for the first response in task order, −2 for the second.
    const strength = facts.fields.get('compare.strength')!;
    expect([coderValue(strength, 0, 0), coderValue(strength, 1, 0)]).toEqual([2, -2]);
    expect(isoWeek('2026-04-27T09:00:00.000Z')).toBe('2026-W18');
    expect(isoWeek('2027-01-01T00:00:00.000Z')).toBe('2026-W53');
    expect(isoWeek('2024-12-30T00:00:00.000Z')).toBe('2025-W01');
  });

  it('puts each answer in the ISO week of its UTC moment, whether stamped in UTC or with an offset', () => {
    const u = unit(compareTask('c1'), { annotations: [{ who: 'ana', answer: prefer('r1') }, { who: 'ben', answer: prefer('r1') }, { who: 'cy', answer: prefer('r2') }] });
    // Sunday evening at UTC−2 is already Monday in UTC: the next week.
    u.annotations[0]!.submittedAt = '2026-05-03T23:30:00-02:00';
    u.annotations[1]!.submittedAt = '2026-05-03T21:30:00.000Z';
    u.annotations[2]!.submittedAt = '2026-05-04T01:30:00Z';
    const { work } = collectFacts([u]);
    expect(Array.from(work.week, (w) => work.weeks[w])).toEqual(['2026-W19', '2026-W18', '2026-W19']);
  });

  it('turns the recorded display order into positions, and leaves out trials whose order was not recorded', () => {
    const task = compareTask('c1');
    const u = unit(task, { annotations: [{ who: 'ana', answer: prefer('r2') }, { who: 'ben', answer: prefer('r2') }, { who: 'cy', answer: prefer('tie') }] });
    u.annotations[0]!.displayOrder = ['r2', 'r1'];
    u.annotations[1]!.displayOrder = [];
    u.annotations[2]!.displayOrder = ['r1', 'r2'];
    const facts = collectFacts([u]);
    const t = facts.trials;
    expect(Array.from(t.who, (who, r) => [facts.coders.get(facts.coderIds[who]!), t.chosenPosition[r], t.chosen[r], Array.from(t.lengths.subarray(t.lengthAt[r], t.lengthAt[r]! + t.lengthCount[r]!))])).toEqual([
      ['ana', 0, 1, task.responses.map((r) => r.content.length)],
      ['cy', NO_WINNER, NO_WINNER, task.responses.map((r) => r.content.length)],
    ]);
  });
});

describe('facts from units that arrive asynchronously', () => {
  it('are the facts of the same units read at once, whether they come one at a time, in arrays or in lazy runs', async () => {
    const units = plantedWork({ compare: 40, trajectories: 10 });
    const want = insightFromFacts(collectFacts(units, { rubricOf, taxonomyOf }));
    async function* oneByOne(): AsyncGenerator<ExportUnit> {
      yield* units;
    }
    async function* runs(): AsyncGenerator<Iterable<ExportUnit>> {
      // An array run, then lazy runs of 7 (the server's are generators over a chunk of task lines).
      yield units.slice(0, 5);
      for (let at = 5; at < units.length; at += 7) {
        yield (function* () {
          for (let i = at; i < Math.min(at + 7, units.length); i++) yield units[i]!;
        })();
      }
    }
    expect(insightFromFacts(await collectFactsAsync(oneByOne(), { rubricOf, taxonomyOf }))).toEqual(want);
    const fromRuns = await collectFactsAsync(runs(), { rubricOf, taxonomyOf });
    expect(fromRuns.tasks).toHaveLength(units.length);
    expect(insightFromFacts(fromRuns)).toEqual(want);
  });
});

describe('insight figures', () => {
  it('measures agreement per field with the headline the field calls for, and per pair', () => {
    const units = Array.from({ length: 12 }, (_, i) => {
      const choice = i % 2 ? 'r1' : 'r2';
      return unit(compareTask(`c${i}`), { annotations: [{ who: 'ana', answer: prefer(choice) }, { who: 'ben', answer: prefer(choice) }] });
    });
    const r = computeInsight(units, { replicates: 50 });
    const pref = r.fields.find((f) => f.field === 'compare.preference')!;
    expect(pref).toMatchObject({ headline: 'alpha', tasks: 12, coders: 2, pairableUnits: 12 });
    expect(pref.value).toMatchObject({ defined: true, value: 1 });
    expect(r.pairs.find((p) => p.field === 'compare.preference')).toMatchObject({ units: 12, value: { defined: true, value: 1 } });
    expect(r.flags).toEqual([]);
  });

  it('uses AC1 on step verdicts, and first-error agreement exact and within one step', () => {
    const task = trajectoryTask('t1');
    const verdicts = (at: number) => task.steps.map((_s, k) => (k === at ? 'error' : 'good') as 'error' | 'good');
    const units = Array.from({ length: 10 }, (_, i) =>
      unit(trajectoryTask(`t${i}`), {
        annotations: [
          { who: 'ana', answer: judgeSteps(task, verdicts(2), 's3') },
          { who: 'ben', answer: judgeSteps(task, verdicts(i < 5 ? 2 : 3), i < 5 ? 's3' : 's4') },
        ],
      }),
    );
    const r = computeInsight(units, { replicates: 50 });
    const steps = r.fields.find((f) => f.field === 'trajectory.step')!;
    expect(steps.headline).toBe('ac1');
    expect(steps.value).toEqual(steps.ac1);
    const first = r.fields.find((f) => f.field === 'trajectory.first_error')!;
    expect(first.value).toMatchObject({ defined: true, value: 0.5 });
    expect(first.within1).toMatchObject({ defined: true, value: 1 });
  });

  it('scores annotators against gold and against the adjudicated answer', () => {
    const units = Array.from({ length: 6 }, (_, i) =>
      unit(compareTask(`c${i}`, 2, { gold: { preferred: 'r1' } }), {
        gold: true,
        annotations: [{ who: 'ana', answer: prefer('r1') }, { who: 'ben', answer: prefer(i < 3 ? 'r1' : 'r2') }],
        adjudicate: prefer('r2'),
      }),
    );
    const r = computeInsight(units, { replicates: 50 });
    const ben = r.calibration.find((c) => c.coder === id('ben'))!;
    expect(ben.gold[0]).toMatchObject({ field: 'compare.preference', units: 6, matches: 3, value: { value: 0.5 } });
    expect(ben.adjudicated[0]).toMatchObject({ units: 6, matches: 3 });
    expect(r.calibration.find((c) => c.coder === id('ana'))!.adjudicated[0]).toMatchObject({ matches: 0 });
    expect(r.flags.map((f) => f.sentence)).toContain("Annotator 'ben' matches gold on 3 of 6 gold items for Preference (50%) — below 70%");
    expect(tasksBehind(collectFacts(units), { field: 'compare.preference', coder: id('ben'), show: 'gold' }).rows.map((x) => x.taskId)).toEqual(['c3', 'c4', 'c5']);
  });

  it("measures a judge against each expert and its position bias, from answers annotators never see", () => {
    const units = Array.from({ length: 12 }, (_, i) => {
      const truth = i % 2 ? 'r1' : 'r2';
      const task = compareTask(`c${i}`, 2, { judges: [{ model: 'grader', preference: { choice: truth, strength: 2 }, displayOrder: truth === 'r1' ? ['r1', 'r2'] : ['r2', 'r1'] }] });
      return unit(task, { annotations: [{ who: 'ana', answer: prefer(truth) }, { who: 'ben', answer: prefer(truth) }] });
    });
    const r = computeInsight(units, { replicates: 50 });
    const judge = r.judges.find((j) => j.model === 'grader')!;
    expect(judge.fields[0]!.withExperts.map((e) => e.defined && e.value)).toEqual([1, 1]);
    expect(judge.positionBias).toMatchObject({ trials: 12, hits: 12 });
    expect(r.flags.map((f) => f.id)).toContain('judge-position:grader');
  });

  it('counts failure modes per bundle version', () => {
    const task = trajectoryTask('t1');
    const answer = judgeSteps(task, ['good', 'error', 'good', 'good', 'good', 'good'], 's2');
    if (answer.kind === 'trajectory') answer.steps[1]!.errorTypes = ['wrong_dose'];
    const units = [1, 2].map((version) => unit(trajectoryTask(`t${version}`), { bundle: { version }, annotations: [{ who: 'ana', answer, bundleVersion: version }] }));
    const r = computeInsight(units, { taxonomyOf: () => ({ errorTypes: [{ id: 'wrong_dose', label: 'Wrong dose' }], assumptionCategories: [], escalationReasons: [], tags: [] }) });
    expect(r.failureModes).toEqual([
      { bundleId: 'b.test', version: 1, errorType: 'wrong_dose', label: 'Wrong dose', steps: 1, exemplars: 0, highlights: 0, total: 1 },
      { bundleId: 'b.test', version: 2, errorType: 'wrong_dose', label: 'Wrong dose', steps: 1, exemplars: 0, highlights: 0, total: 1 },
    ]);
  });

  it('says why a figure is undefined rather than giving NaN, on empty or one-coder work', () => {
    expect(computeInsight([]).fields).toEqual([]);
    const r = computeInsight([unit(compareTask('c1'), { annotations: [{ who: 'ana', answer: prefer('r1') }] })]);
    const pref = r.fields.find((f) => f.field === 'compare.preference')!;
    expect(pref.value).toMatchObject({ defined: false, reason: 'no_pairable_values' });
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });
});
