import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Core } from '../../../electron/core/core.ts';
import { signRequest } from '../../../shared/node/request-signature.ts';
import { run } from '../../../electron/cli/main.ts';
import { enrolWorkstation, fillOutbox, openWorkstation, startTestServer, tempDir } from './helpers.ts';

const tmp = tempDir('cb-review-');
afterAll(() => tmp.cleanup());

describe("reviewers receive other annotators' signed work, by network or by hand", () => {
  it('verifies every batch on the reviewer workstation with the server rule, keeps the chain, refuses tampering', async () => {
    const server = await startTestServer(`${tmp.dir}/server`);
    const annotator = await openWorkstation(`${tmp.dir}/annotator`, { sync: { batchSize: 10 } });
    const reviewerCore = await Core.open({ dataDir: `${tmp.dir}/reviewer`, host: 'web' });
    try {
      const rev = await reviewerCore.call('identity.setup', { displayName: 'Senior Reviewer', role: 'reviewer' });
      expect(rev.ok).toBe(true);
      await enrolWorkstation(annotator.core, server);
      await enrolWorkstation(reviewerCore, server);
      await fillOutbox(annotator.core, annotator.who, 25);
      expect((await annotator.core.sync.syncNow()).state).toBe('done');

      // Annotators' devices may not read others' work.
      const key = (await annotator.core.ctx.keyVault.load())!;
      const asAnnotator = await fetch(`${server.url}/v1/review/devices`, { headers: signRequest(key, annotator.who.deviceId, 'GET', '/v1/review/devices', new Date()) });
      expect(asAnnotator.status).toBe(403);

      const pulled = await reviewerCore.call('sync.pullReviews', {});
      expect(pulled).toMatchObject({ ok: true, result: { devices: 1, received: 3, failed: [] } });
      const held = () => reviewerCore.exclusive(() => reviewerCore.ctx.db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM received_records').get());
      expect(await held()).toEqual({ n: 25, d: 25 });
      expect(await reviewerCore.call('sync.pullReviews', {})).toMatchObject({ ok: true, result: { received: 0 } });

      // Offline: the annotator hands over batch files on a stick.
      await server.close();
      await fillOutbox(annotator.core, annotator.who, 12, 100);
      const files = await annotator.core.sync.exportBatches(`${tmp.dir}/usb`, { fromSeq: 4 });
      expect(files.map((f) => f.split('/').pop())).toEqual([`${annotator.who.deviceId}-00000004.cbatch`, `${annotator.who.deviceId}-00000005.cbatch`]);

      // Out of order: batch 5 alone is refused with the expected seq; nothing is kept.
      const gap = await reviewerCore.call('sync.importBatches', { files: [files[1]!] });
      expect(gap).toMatchObject({ ok: true, result: { results: [{ ok: false, expectedSeq: 4, message: expect.stringContaining('expected batch 4') }] } });
      // A flipped byte is refused.
      const bad = Buffer.from(readFileSync(files[0]!));
      bad[200] = bad[200]! ^ 0x01;
      writeFileSync(join(tmp.dir, 'bad.cbatch'), bad);
      const tampered = await reviewerCore.call('sync.importBatches', { files: [join(tmp.dir, 'bad.cbatch')] });
      expect(tampered).toMatchObject({ ok: true, result: { results: [{ ok: false }] } });
      await reviewerCore.close();

      // The CLI picks the workstation import for a workstation data directory.
      let out = '';
      let err = '';
      const code = await run(['batches', 'import', ...readdirSync(`${tmp.dir}/usb`).map((f) => join(tmp.dir, 'usb', f)), '--data', `${tmp.dir}/reviewer`], { out: (l) => (out += l + '\n'), err: (l) => (err += l + '\n') });
      expect({ code, err }).toEqual({ code: 0, err: '' });
      expect(out).toContain('accepted');
      const again = await run(['batches', 'import', ...files, '--data', `${tmp.dir}/reviewer`], { out: (l) => (out += l + '\n'), err: () => undefined });
      expect(again).toBe(0);
      expect(out).toContain('already held');
      const check = await Core.open({ dataDir: `${tmp.dir}/reviewer`, host: 'web' });
      expect(check.ctx.db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM received_records').get()).toEqual({ n: 37, d: 37 });
      await check.close();
    } finally {
      await annotator.core.close();
      await reviewerCore.close().catch(() => undefined);
      await server.close().catch(() => undefined);
    }
  });
});
