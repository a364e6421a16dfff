import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchRecord } from '../../shared/domain/index.ts';
import { assembleUnit, type HeldAdjudication } from '../../shared/export/assemble.ts';
import type { ExportUnit, UnitAnnotation, UnitBundle } from '../../shared/export/unit.ts';
import { openBundle, type BundleTaskLine, type TrustedKey } from '../../shared/node/bundle/index.ts';
import { sha256Hex } from '../../shared/node/hash.ts';
import { adjudicationIssues, submissionIssues } from '../../shared/rules/index.ts';
import type { SyncStorage } from '../storage/types.ts';

/**
 * The server's read model for exports and agreement: every task of every published bundle,
 * with all the accepted work on it. The server holds bundles exactly as an admin uploaded them
 * (it never needed to open them), so reading their tasks needs the org key they were signed with.
 */

export interface ServerUnitFilter {
  /** Org keys the stored bundles were signed with; a bundle none of them verifies is refused. */
  trusted: readonly TrustedKey[];
  /** Only these bundle ids (all published bundles otherwise). */
  bundles?: readonly string[];
  /** Filled in while iterating: what could not be placed in a unit. */
  report?: ServerUnitReport;
}

export interface ServerUnitReport {
  /** Bundle versions read (id, version). */
  bundlesRead: { id: string; version: number }[];
  /**
   * Accepted records about a task content no published bundle holds (a bundle that reached
   * workstations by hand, or a version never uploaded): they cannot be exported without the task.
   */
  orphanRecords: number;
  /**
   * Accepted records the submission rules (shared/rules) refuse for their task: signed by an
   * enrolled device, but work the app would never have let through (a modified client). Kept
   * on the server as evidence, left out of units, as a reviewer's workstation does.
   */
  brokenRecords: number;
}

/** A bundle the server holds that cannot be read with the given keys. */
export class ServerBundleError extends Error {
  override name = 'ServerBundleError';
}

interface TaskRecords {
  annotations: UnitAnnotation[];
  adjudications: HeldAdjudication[];
  /** Task hashes the annotations name; each is emitted once. */
  hashes: Set<string>;
}

const taskKey = (bundleId: string, taskId: string) => `${bundleId}\u0000${taskId}`;

/** Every accepted annotation and adjudication, grouped by (bundle, task), with its batch. */
async function heldRecords(storage: SyncStorage, bundles: ReadonlySet<string> | null): Promise<Map<string, TaskRecords>> {
  const byTask = new Map<string, TaskRecords>();
  const devices = (await storage.listDevices()).map((d) => d.deviceId).sort();
  for (const deviceId of devices) {
    let afterSeq = 0;
    for (;;) {
      const page = await storage.listBatches({ deviceId, afterSeq, limit: 200 });
      if (page.length === 0) break;
      for (const b of page) {
        const batch = { deviceId: b.deviceId, seq: b.seq, hash: b.hash };
        // Verified when it was accepted; read back from the stored envelope, the evidence itself.
        const env = JSON.parse(b.envelope.toString('utf8')) as { payload: string };
        const payload = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { records: unknown[] };
        for (const raw of payload.records) {
          const r = BatchRecord.parse(raw);
          if (bundles && !bundles.has(r.record.bundleId)) continue;
          const k = taskKey(r.record.bundleId, r.record.taskId);
          let held = byTask.get(k);
          if (!held) byTask.set(k, (held = { annotations: [], adjudications: [], hashes: new Set() }));
          if (r.type === 'annotation') {
            held.annotations.push({ ...r.record, batch });
            held.hashes.add(r.record.taskHash);
          } else held.adjudications.push({ ...r.record, batch });
        }
      }
      afterSeq = page.at(-1)!.seq;
    }
  }
  return byTask;
}

/**
 * One unit per (bundle, task, task content): the newest published version's tasks, each with
 * its work, then the older contents that accepted work was done against (newest version that
 * holds them). Units stream out one bundle version at a time; the records are held in memory.
 */
export async function* iterateServerUnits(storage: SyncStorage, filter: ServerUnitFilter): AsyncGenerator<ExportUnit> {
  for await (const run of iterateServerUnitRuns(storage, filter)) yield* run;
}

/**
 * The same units in runs, one run per chunk of a bundle's tasks read: for readers that go
 * through 100k units (agreement), where an await per unit costs more than the unit's figures.
 * A run makes its units as they are read (none outlives the reader's use of it), so each run
 * must be read through before the next is asked for.
 */
export async function* iterateServerUnitRuns(storage: SyncStorage, filter: ServerUnitFilter): AsyncGenerator<Iterable<ExportUnit>> {
  const wanted = filter.bundles ? new Set(filter.bundles) : null;
  const report = filter.report ?? { bundlesRead: [], orphanRecords: 0, brokenRecords: 0 };
  const records = await heldRecords(storage, wanted);
  const listings = (await storage.listBundles()).filter((b) => !wanted || wanted.has(b.bundleId));
  const ids = [...new Set(listings.map((b) => b.bundleId))].sort();
  const tmp = await mkdtemp(join(tmpdir(), 'cb-server-units-'));
  const done = new Set<string>();
  try {
    for (const id of ids) {
      const versions = listings.filter((b) => b.bundleId === id).map((b) => b.version).sort((a, b) => b - a);
      let newest: Pick<UnitBundle, 'title' | 'license' | 'currentModel'> | null = null;
      for (const [i, version] of versions.entries()) {
        const bytes = await storage.getBundle(id, version);
        if (!bytes) continue;
        const path = join(tmp, `${i}.cbundle`);
        await writeFile(path, bytes);
        // Expiry stops new work on a version, not the export of work already done on it.
        const opened = await openBundle(path, filter.trusted, { now: new Date(0) }).catch((e: Error) => {
          throw new ServerBundleError(`bundle ${id} v${version} held by the server cannot be read: ${e.message}`);
        });
        try {
          const s = opened.settings;
          // The newest version speaks for the bundle: its licence, and the model preference data is compared with.
          newest ??= { title: s.title, ...(s.license !== undefined ? { license: s.license } : {}), ...(s.currentModel !== undefined ? { currentModel: s.currentModel } : {}) };
          const bundle: UnitBundle = { id, version, ...newest };
          // A task line's unit, or null when this version adds nothing for it.
          const unitOf = (line: BundleTaskLine): ExportUnit | null => {
            const k = taskKey(id, line.task.id);
            const hash = sha256Hex(line.json);
            const held = records.get(k);
            const key = `${k}\u0000${hash}`;
            // Older versions contribute only content that accepted work names.
            if (done.has(key) || (i > 0 && !held?.hashes.has(hash))) return null;
            done.add(key);
            held?.hashes.delete(hash);
            const rules = { task: line.task, rubric: opened.rubric, taxonomy: opened.taxonomy, settings: opened.settings };
            const own = (held?.annotations ?? []).filter((a) => a.taskHash === hash);
            const annotations = own.filter((a) => submissionIssues({ ...rules, content: a.content, displayOrder: a.displayOrder }).length === 0);
            const decisions = (held?.adjudications ?? []).filter((a) => a.taskHash === hash);
            const adjudications = decisions.filter((a) => adjudicationIssues({ ...rules, answer: a.answer }).length === 0);
            report.brokenRecords += own.length - annotations.length + decisions.length - adjudications.length;
            return assembleUnit({ bundle, task: line.task, taskHash: hash }, annotations, adjudications);
          };
          const runOf = function* (lines: readonly BundleTaskLine[]): Generator<ExportUnit> {
            for (const line of lines) {
              const unit = unitOf(line);
              if (unit) yield unit;
            }
          };
          for await (const lines of opened.taskRuns()) yield runOf(lines);
        } finally {
          opened.close();
        }
        report.bundlesRead.push({ id, version });
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  for (const held of records.values()) {
    for (const a of held.annotations) if (held.hashes.has(a.taskHash)) report.orphanRecords++;
  }
}
