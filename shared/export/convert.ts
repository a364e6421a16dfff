import type { z } from 'zod';
import type { ExportFormat, ExportOptions } from './options.ts';
import { isStale, keptByModelFilter, rowModelStatus } from './models.ts';
import {
  ChatPreferenceLine,
  ChatSftLine,
  DpoConversationalLine,
  DpoLine,
  KtoConversationalLine,
  KtoLine,
  PrmLine,
  SftLine,
  type RowMetadata,
} from './schemas.ts';
import { selectUnit, type Decided, type Exclusion, type Selection } from './select.ts';
import { sha256Hex } from './sha256.ts';
import type { ExportUnit } from './unit.ts';
import type { Draft, NoRows, RowMaker } from './formats/context.ts';
import { FullLine, fullLine } from './formats/full.ts';
import { ktoRows } from './formats/kto.ts';
import { preferenceRows } from './formats/preference.ts';
import { prmRows } from './formats/prm.ts';
import { sftRows } from './formats/sft.ts';

export type RowFormat = Exclude<ExportFormat, 'full'>;
export type HashFn = (text: string) => string;

/**
 * Where each format keeps a row's id and sources. TRL's loaders (datasets + the trainers) keep
 * extra columns and read only the ones they need, so the TRL shapes carry a `metadata` column.
 * The chat-completions shapes are documented with no other keys, and some services that take
 * them refuse unknown ones, so their metadata goes to a side file `<format>.meta.jsonl` whose
 * line N describes data line N. `full` is provenance itself and carries its id inline.
 */
export const METADATA_PLACEMENT: Record<ExportFormat, 'inline' | 'side-file'> = {
  sft: 'inline',
  dpo: 'inline',
  kto: 'inline',
  prm: 'inline',
  'chat-sft': 'side-file',
  'chat-preference': 'side-file',
  full: 'inline',
};

/** The schema of one line of a format (dpo and kto have a second, conversational form). */
export function lineSchema(format: ExportFormat, conversational = false): z.ZodType {
  switch (format) {
    case 'sft':
      return SftLine;
    case 'dpo':
      return conversational ? DpoConversationalLine : DpoLine;
    case 'kto':
      return conversational ? KtoConversationalLine : KtoLine;
    case 'prm':
      return PrmLine;
    case 'chat-sft':
      return ChatSftLine;
    case 'chat-preference':
      return ChatPreferenceLine;
    case 'full':
      return FullLine;
  }
}

const makers = new WeakMap<ExportOptions, Map<RowFormat, RowMaker>>();

/** The row maker of a format for these options, made once per export rather than once per task. */
function maker(format: RowFormat, options: ExportOptions): RowMaker {
  let byFormat = makers.get(options);
  if (!byFormat) makers.set(options, (byFormat = new Map()));
  let m = byFormat.get(format);
  if (!m) byFormat.set(format, (m = makeMaker(format, options)));
  return m;
}

function makeMaker(format: RowFormat, options: ExportOptions): RowMaker {
  switch (format) {
    case 'sft':
      return sftRows('trl');
    case 'chat-sft':
      return sftRows('chat');
    case 'dpo':
      return preferenceRows(options.conversational ? 'dpo-conversational' : 'dpo');
    case 'chat-preference':
      return preferenceRows('chat-preference');
    case 'kto':
      return ktoRows(options.conversational);
    case 'prm':
      return prmRows;
  }
}

/** A row as written: `line` is the data file's line (metadata inline where the format keeps it there). */
export interface ExportRow {
  line: Record<string, unknown>;
  metadata: RowMetadata;
}

export interface Converted {
  rows: ExportRow[];
  /** Why chosen answers gave no rows (one entry per answer). */
  noRows: NoRows[];
  /** Rows left out by `currentModelOnly`. */
  modelDropped: number;
  /** Rows kept whose model-written parts include an older model version. */
  stale: number;
}

/** The stable id of a row: the same sources and parts give the same id in every export. */
export function rowId(hash: HashFn, format: string, sources: readonly string[], parts: readonly string[]): string {
  return hash(`${format}\n${sources.join(' ')}\n${parts.join(' ')}`).slice(0, 32);
}

/** The rows one format makes from the answers a task's selection chose. */
export function convertDecided(format: RowFormat, unit: ExportUnit, decided: readonly Decided[], options: ExportOptions, hash: HashFn = sha256Hex): Converted {
  const make = maker(format, options);
  const out: Converted = { rows: [], noRows: [], modelDropped: 0, stale: 0 };
  const task = `${unit.bundle.id}/${unit.task.id}`;
  for (const d of decided) {
    const drafts: Draft[] | { none: NoRows } = make({ unit, options }, d.answer);
    if ('none' in drafts) {
      out.noRows.push(drafts.none);
      continue;
    }
    for (const draft of drafts) {
      const modelStatus = rowModelStatus(draft.produced);
      if (!keptByModelFilter(modelStatus, options.filters.currentModelOnly)) {
        out.modelDropped++;
        continue;
      }
      const staleModel = isStale(modelStatus);
      if (staleModel) out.stale++;
      const metadata: RowMetadata = {
        id: rowId(hash, format, d.sources, draft.parts),
        task,
        bundleVersion: unit.bundle.version,
        taskHash: unit.taskHash,
        answer: d.source,
        sources: d.sources,
        parts: draft.parts,
        modelStatus,
        staleModel,
      };
      out.rows.push({ line: METADATA_PLACEMENT[format] === 'inline' ? { ...draft.data, metadata } : draft.data, metadata });
    }
  }
  return out;
}

/** The `full` line of a task that passed the filters (the policy may have chosen nothing). */
export function fullRow(unit: ExportUnit, selection: Selection, options: ExportOptions, hash: HashFn = sha256Hex): FullLine {
  const records = [...unit.annotations.map((a) => `annotation:${a.id}`), ...(unit.adjudication ? [`adjudication:${unit.adjudication.id}`] : [])].sort();
  const id = rowId(hash, 'full', [`${unit.bundle.id}/${unit.task.id}`, unit.taskHash], records);
  const decided = 'decided' in selection ? selection.decided : [];
  return fullLine(unit, id, options.policy, decided, 'excluded' in selection ? selection.excluded : null);
}

export interface UnitConversion {
  selection: Selection;
  /** Set when the task contributes no answer (a filter, or the policy chose nothing). */
  excluded: Exclusion | null;
  converted: Converted;
}

/**
 * One task through selection and one row format, without the Node writer (`exportDataset`
 * does this for several formats at once, and writes `full` lines with `fullRow`).
 */
export function convertUnit(unit: ExportUnit, format: RowFormat, options: ExportOptions, hash: HashFn = sha256Hex): UnitConversion {
  const selection = selectUnit(unit, options);
  if ('excluded' in selection) return { selection, excluded: selection.excluded, converted: { rows: [], noRows: [], modelDropped: 0, stale: 0 } };
  return { selection, excluded: null, converted: convertDecided(format, unit, selection.decided, options, hash) };
}

/** Exclusions by a filter (the task is left out of every file, full included) rather than by the policy. */
export function isFilterExclusion(e: Exclusion): boolean {
  return e === 'bundle' || e === 'kind' || e === 'gold' || e === 'escalated' || e === 'agreement';
}
