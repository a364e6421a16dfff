import { describe, expect, it } from 'vitest';
import { ExportOptions, convertUnit, modelStatus, rowModelStatus } from '../../../shared/export/index.ts';
import { compareTask, correct, exemplarTask, prefer, unit } from '../../support/export-units.ts';

const current = { name: 'triage', version: 'v3', earlier: ['v1', 'v2'] };

describe('model versions', () => {
  it('places a version in the bundle lineage: current, older by k, another model, or unknown', () => {
    expect(modelStatus({ model: 'triage', modelVersion: 'v3' }, current)).toEqual({ status: 'current', lag: 0 });
    expect(modelStatus({ modelVersion: 'v2' }, current)).toEqual({ status: 'older', lag: 1 });
    expect(modelStatus({ model: 'triage', modelVersion: 'v1' }, current)).toEqual({ status: 'older', lag: 2 });
    expect(modelStatus({ model: 'rival', modelVersion: 'v2' }, current)).toEqual({ status: 'other', lag: null });
    expect(modelStatus({ model: 'triage', modelVersion: 'v9' }, current)).toEqual({ status: 'unknown', lag: null });
    expect(modelStatus({ model: 'triage' }, current)).toEqual({ status: 'unknown', lag: null });
    expect(modelStatus({ modelVersion: 'v3' }, undefined)).toEqual({ status: 'unknown', lag: null });
    expect(rowModelStatus([])).toBe('none');
    expect(rowModelStatus([{ status: 'current', lag: 0 }, { status: 'older', lag: 1 }])).toBe('older');
  });

  const task = compareTask('c1', 3, {
    responses: [
      { id: 'r1', content: 'new', model: 'triage', modelVersion: 'v3' },
      { id: 'r2', content: 'old', model: 'triage', modelVersion: 'v2' },
      { id: 'r3', content: 'also new', model: 'triage', modelVersion: 'v3' },
    ],
  });
  const u = unit(task, { bundle: { currentModel: current }, annotations: [{ who: 'a', answer: prefer('r1', [['r1'], ['r3'], ['r2']]) }], adjudicate: prefer('r1', [['r1'], ['r3'], ['r2']]) });

  it('flags preference rows on a response from an older version, and --current-model-only drops them', () => {
    const flagged = convertUnit(u, 'dpo', ExportOptions.parse({}));
    expect(flagged.converted.rows.map((r) => [r.metadata.parts.join('>'), r.metadata.modelStatus, r.metadata.staleModel])).toEqual([
      ['r1>r3', 'current', false],
      ['r1>r2', 'older', true],
      ['r3>r2', 'older', true],
    ]);
    expect(flagged.converted.stale).toBe(2);
    const only = convertUnit(u, 'dpo', ExportOptions.parse({ filters: { currentModelOnly: true } }));
    expect(only.converted.rows.map((r) => r.metadata.parts.join('>'))).toEqual(['r1>r3']);
    expect(only.converted.modelDropped).toBe(2);
  });

  it('keeps human-written rows under --current-model-only; a pair with a draft depends on the draft', () => {
    const e = unit(exemplarTask('e1'), { bundle: { currentModel: current }, annotations: [{ who: 'a', answer: correct('Better.') }], adjudicate: correct('Better.') });
    const only = ExportOptions.parse({ filters: { currentModelOnly: true } });
    expect(convertUnit(e, 'sft', only).converted.rows).toHaveLength(1);
    // The draft names v1 of model "m", not the bundle's "triage": another model, so not current.
    expect(convertUnit(e, 'dpo', only).converted).toMatchObject({ rows: [], modelDropped: 1 });
  });
});
