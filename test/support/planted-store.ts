import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import { upsertKnownDevices } from '../../electron/core/sync/receive.ts';
import { BATCH_FORMAT, BATCH_PAYLOAD_TYPE, GENESIS_HASH, type BatchRecord, type SubmittedAnnotation } from '../../shared/domain/index.ts';
import { buildBundle } from '../../shared/node/bundle/index.ts';
import { signEnvelope } from '../../shared/node/dsse.ts';
import { sha256Hex } from '../../shared/node/hash.ts';
import { generateKeyPair } from '../../shared/node/keys.ts';
import { call, orgKey } from '../helpers/workspace.ts';
import { ANNOTATORS, BUNDLE_ID, RUBRIC, TAXONOMY, plantedWork, type PlantedOptions } from './insight-work.ts';

/**
 * The planted work of insight-work.ts in a real reviewer's workstation: the tasks built and
 * signed as a bundle and imported, then each annotator's work received as signed batch files
 * (one per week) through sync.importBatches, the way a USB stick or `review pull` brings it.
 */
export interface PlantedStore {
  readonly core: Core;
  readonly dataDir: string;
}

export interface PlantedStoreOptions extends PlantedOptions {
  readonly dataDir?: string;
  /** Who the workstation belongs to (default a reviewer, 'Senior Reviewer'). */
  readonly identity?: { readonly displayName: string; readonly role: 'reviewer' | 'admin' };
}

export async function plantedStore(dir: string, opts: PlantedStoreOptions = {}): Promise<PlantedStore> {
  const units = plantedWork({
    ...(opts.compare !== undefined ? { compare: opts.compare } : {}),
    ...(opts.trajectories !== undefined ? { trajectories: opts.trajectories } : {}),
    ...(opts.currentModel !== undefined ? { currentModel: opts.currentModel } : {}),
  });
  const src = join(dir, 'src');
  mkdirSync(src, { recursive: true });
  const settings = { format: 'casebook.bundle/1', id: BUNDLE_ID, version: 1, title: 'Planted agreement work', ...(opts.currentModel ? { currentModel: opts.currentModel } : {}) };
  writeFileSync(join(src, 'bundle.json'), JSON.stringify(settings));
  writeFileSync(join(src, 'guidelines.md'), '# Guidelines\n\nPrefer the better answer.\n');
  writeFileSync(join(src, 'rubric.json'), JSON.stringify(RUBRIC));
  writeFileSync(join(src, 'taxonomy.json'), JSON.stringify(TAXONOMY));
  writeFileSync(join(src, 'tasks.jsonl'), units.map((u) => JSON.stringify(u.task)).join('\n') + '\n');
  const key = orgKey();
  const file = join(dir, 'planted.cbundle');
  await buildBundle({ sourceDir: src, key: key.privateJwk, outFile: file });

  const dataDir = opts.dataDir ?? join(dir, 'reviewer');
  const core = await Core.open({ dataDir, host: 'web' });
  await core.importBundle(file, { trusted: [key.trusted] });
  await call(core, 'identity.setup', opts.identity ?? { displayName: 'Senior Reviewer', role: 'reviewer' });
  const hashes = new Map((core.ctx.db.prepare('SELECT task_id, hash FROM tasks WHERE bundle_id = ?').all(BUNDLE_ID) as { task_id: string; hash: string }[]).map((r) => [r.task_id, r.hash]));

  let files = 0;
  for (const name of ANNOTATORS) {
    const { privateJwk, publicJwk } = generateKeyPair();
    const userId = randomUUID();
    const deviceId = `dev-${name}-${userId.slice(0, 6)}`;
    await core.exclusive(() => upsertKnownDevices(core.ctx.db, [{ deviceId, publicKey: publicJwk, userId, displayName: name, role: 'annotator', revokedAt: null }], new Date().toISOString()));
    const byWeek = new Map<number, BatchRecord[]>();
    for (const u of units) {
      const a = u.annotations.find((x) => x.annotatorName === name);
      if (!a) continue;
      const { batch, ...rest } = a;
      const record: SubmittedAnnotation = { ...rest, status: 'submitted', id: randomUUID(), bundleId: BUNDLE_ID, bundleVersion: 1, taskHash: hashes.get(u.task.id)!, annotatorId: userId, annotatorName: name, deviceId };
      const week = batch?.seq ?? 1;
      const list = byWeek.get(week) ?? [];
      list.push({ type: 'annotation', record });
      byWeek.set(week, list);
    }
    let seq = 0;
    let prevHash = GENESIS_HASH;
    for (const week of [...byWeek.keys()].sort((x, y) => x - y)) {
      const payload = { format: BATCH_FORMAT, deviceId, seq: ++seq, prevHash, createdAt: new Date().toISOString(), records: byWeek.get(week)! };
      const bytes = Buffer.from(JSON.stringify(signEnvelope(BATCH_PAYLOAD_TYPE, Buffer.from(JSON.stringify(payload)), privateJwk)));
      prevHash = sha256Hex(bytes);
      const path = join(dir, `batch-${++files}.cbatch`);
      writeFileSync(path, bytes);
      const r = await call(core, 'sync.importBatches', { files: [path] });
      if (!r.results[0]!.ok) throw new Error(`batch of ${name} refused: ${r.results[0]!.message}`);
    }
  }
  return { core, dataDir };
}
