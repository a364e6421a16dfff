import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillOutbox, openWorkstation } from './test/integration/sync/helpers.ts';
import { Batch, BATCH_PAYLOAD_TYPE } from './shared/domain/index.ts';
import { Envelope, verifyEnvelope } from './shared/node/dsse.ts';
import { toPublic } from './shared/node/keys.ts';
const dir = mkdtempSync(join(tmpdir(), 'cb-prof-'));
const { core, who } = await openWorkstation(join(dir, 'ws'), { sync: { batchSize: 500 } });
await fillOutbox(core, who, 10000);
await core.sync.sealPending();
const envs = core.ctx.db.prepare('SELECT envelope FROM sync_batch_files').pluck().all() as Buffer[];
const pub = toPublic((await core.ctx.keyVault.load())!);
const T: Record<string, number> = {};
const time = <X>(k: string, f: () => X): X => { const t = performance.now(); const r = f(); T[k] = (T[k] ?? 0) + performance.now() - t; return r; };
for (const e of envs) {
  time('envparse', () => Envelope.parse(JSON.parse(e.toString('utf8'))));
  const v = time('verify', () => verifyEnvelope(e, BATCH_PAYLOAD_TYPE, [pub]));
  const j = time('payloadjson', () => JSON.parse(v.payload.toString('utf8')));
  const b = time('zod', () => Batch.parse(j));
  time('stringify', () => b.records.map((r) => JSON.stringify(r.record)));
}
for (const k in T) T[k] = T[k]! / envs.length;
console.log(T);
