import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../shared/contract/index.ts';
import { call, tempDir } from '../helpers/workspace.ts';
import { storeDigest } from '../support/workstation.ts';
import { answers, reviewFixture, type ReviewFixture } from '../support/review-fixture.ts';

describe('reviews.importBatchFiles: batch files brought in from the UI as a job', () => {
  let tmp: ReturnType<typeof tempDir>;
  let fx: ReviewFixture;
  beforeEach(async () => {
    tmp = tempDir('cb-review-import-');
    fx = await reviewFixture(tmp.dir);
  });
  afterEach(async () => {
    await fx.core.close();
    tmp.cleanup();
  });

  it('reports progress per file, keeps good files, and refuses a tampered one naming it and why, keeping nothing from it', async () => {
    const ann = await fx.device('Ann');
    const bob = await fx.device('Bob');
    const good = fx.batchFile(ann, [{ type: 'annotation', record: await fx.annotation(ann, 't-compare', answers.compare('r1', 2)) }]);
    const bobFile = fx.batchFile(bob, [{ type: 'annotation', record: await fx.annotation(bob, 't-compare', answers.compare('r2', 2)) }]);
    // One flipped byte inside the signed payload.
    const bytes = Buffer.from(readFileSync(bobFile));
    const at = bytes.indexOf('"payload":"') + 40;
    bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
    const tampered = join(tmp.dir, 'zz-tampered.cbatch');
    writeFileSync(tampered, bytes);

    const before = storeDigest(fx.core.ctx.db).rows;
    const events: JobProgress[] = [];
    fx.core.subscribe((e) => {
      if (e.type === 'job.progress') events.push(e.progress);
    });
    const jobId = '6b0b6a4e-8f1e-4d0c-9a4b-2f3c1d2e3f40';
    const r = await call(fx.core, 'reviews.importBatchFiles', { files: [tampered, good], jobId });
    expect(r.jobId).toBe(jobId);
    expect(r).toMatchObject({ kept: 1, refused: 1 });
    expect(r.results).toEqual([
      expect.objectContaining({ file: good, ok: true, deviceId: ann.deviceId, seq: 1 }),
      expect.objectContaining({ file: tampered, ok: false, message: expect.stringMatching(/signature/) }),
    ]);
    expect(events.every((e) => e.jobId === jobId)).toBe(true);
    expect(events.map((e) => [e.done, e.total, e.finished])).toEqual([
      [0, null, false],
      [1, 2, false],
      [2, 2, false],
      [2, 2, true],
    ]);
    // Nothing of the tampered file: no batch, no record, no review row from Bob.
    expect(fx.core.ctx.db.prepare('SELECT COUNT(*) AS n FROM received_batches WHERE device_id = ?').get(bob.deviceId)).toEqual({ n: 0 });
    const after = storeDigest(fx.core.ctx.db).rows;
    expect(after['received_records']! - before['received_records']!).toBe(1);
    expect((await call(fx.core, 'reviews.queue', { bundleId: fx.bundleId })).total).toBe(0);
  });
});
