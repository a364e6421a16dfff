import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundleSettings, Rubric, Taxonomy } from '../../domain/index.ts';
import { candidateSection, DERIVED_TAG, deriveFromUnit, type DeriveOptions, type DerivedTask, type FailureKind, type GuidelineCandidate } from '../../export/derive.ts';
import type { ExportUnit } from '../../export/unit.ts';

/** The installed bundle a derivation starts from: its files, and its current tasks' lines as stored. */
export interface DeriveSource {
  settings: BundleSettings;
  guidelines: string;
  rubric: Rubric;
  taxonomy: Taxonomy;
  /** The current (not retired) tasks' JSON lines, in bundle order. */
  taskLines: readonly string[];
  taskIds: ReadonlySet<string>;
}

export interface DeriveResult {
  dir: string;
  version: number;
  derived: number;
  byKind: Partial<Record<FailureKind, number>>;
  /** Failures whose task id the bundle already holds (derived by an earlier run): not added twice. */
  alreadyPresent: number;
  candidates: number;
}

/** Why a source folder cannot be written. */
export class DeriveError extends Error {
  override name = 'DeriveError';
}

/**
 * Writes the source folder of the bundle's next version: the current tasks unchanged, then one
 * exemplar task per documented failure, and the guidelines with a draft section of the marked
 * guideline candidates. `casebook bundle build` signs it after the admin has edited it.
 */
export async function writeDerivedSource(source: DeriveSource, units: AsyncIterable<ExportUnit> | Iterable<ExportUnit>, candidates: readonly GuidelineCandidate[], outDir: string, opts: DeriveOptions = {}): Promise<DeriveResult> {
  await mkdir(outDir, { recursive: true });
  if ((await readdir(outDir)).length > 0) throw new DeriveError(`${outDir}: not empty; choose a new folder for the derived bundle source`);
  const derived: DerivedTask[] = [];
  const ids = new Set(source.taskIds);
  let alreadyPresent = 0;
  for await (const unit of units) {
    if (unit.bundle.id !== source.settings.id) continue;
    for (const d of deriveFromUnit(unit, opts)) {
      if (ids.has(d.task.id)) {
        alreadyPresent++;
        continue;
      }
      ids.add(d.task.id);
      derived.push(d);
    }
  }
  const version = source.settings.version + 1;
  // The old expiry would already have passed (or soon): the next version gets the builder's default.
  const { expiresAt: _expired, ...settings } = source.settings;
  const section = candidateSection(candidates);
  const guidelines = section ? `${source.guidelines.trimEnd()}\n\n${section}` : source.guidelines;
  const lines = [...source.taskLines, ...derived.map((d) => JSON.stringify(d.task))];
  await writeFile(join(outDir, 'bundle.json'), JSON.stringify({ ...settings, version }, null, 2) + '\n');
  await writeFile(join(outDir, 'guidelines.md'), guidelines.endsWith('\n') ? guidelines : `${guidelines}\n`);
  await writeFile(join(outDir, 'rubric.json'), JSON.stringify(source.rubric, null, 2) + '\n');
  const taxonomy = derived.length > 0 && !source.taxonomy.tags.includes(DERIVED_TAG) ? { ...source.taxonomy, tags: [...source.taxonomy.tags, DERIVED_TAG] } : source.taxonomy;
  await writeFile(join(outDir, 'taxonomy.json'), JSON.stringify(taxonomy, null, 2) + '\n');
  await writeFile(join(outDir, 'tasks.jsonl'), lines.join('\n') + '\n');
  const byKind: Partial<Record<FailureKind, number>> = {};
  for (const d of derived) byKind[d.kind] = (byKind[d.kind] ?? 0) + 1;
  return { dir: outDir, version, derived: derived.length, byKind, alreadyPresent, candidates: candidates.length };
}
