import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { CoreEvent, SyncStatus } from '../../../shared/contract/index.ts';
import { createEnrolToken } from '../../../server/admin-auth.ts';
import { bindingOf, fillOutbox, openWorkstation, startTestServer, tempDir } from './helpers.ts';

const tmp = tempDir('cb-contract-');
afterAll(() => tmp.cleanup());

describe('sync through the API contract (what the sync panel uses)', () => {
  it('status, enrol with clear errors, sync now with progress events, retry of refused batches, export', async () => {
    const server = await startTestServer(`${tmp.dir}/server`);
    const { core, who } = await openWorkstation(`${tmp.dir}/ws`);
    const events: CoreEvent[] = [];
    const status = async (): Promise<SyncStatus> => {
      const res = await core.call('sync.status', {});
      if (!res.ok) throw new Error(res.error.message);
      return res.result as SyncStatus;
    };
    core.subscribe((e) => events.push(e));
    try {
      const before = await core.call('sync.status', {});
      expect(before).toMatchObject({ ok: true, result: { enrolled: false, serverUrl: null, online: null, running: false, deviceId: who.deviceId } });

      const badUrl = await core.call('sync.enrol', { serverUrl: 'casebook dot org', token: 'x'.repeat(20) });
      expect(badUrl).toMatchObject({ ok: false, error: { code: 'invalid_request', issues: [{ path: 'serverUrl' }] } });
      const shortToken = await core.call('sync.enrol', { serverUrl: server.url, token: 'abc' });
      expect(shortToken).toMatchObject({ ok: false, error: { code: 'invalid_request', issues: [{ path: 'token', message: expect.stringContaining('whole enrolment token') }] } });
      const wrongToken = await core.call('sync.enrol', { serverUrl: server.url, token: 'cbenrol_not_a_real_token_at_all' });
      expect(wrongToken).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringContaining('not known to the server') } });

      const { token } = await createEnrolToken(server.storage, bindingOf(who), 'contract', new Date());
      const enrolled = await core.call('sync.enrol', { serverUrl: `${server.url}/`, token });
      expect(enrolled).toMatchObject({ ok: true, result: { enrolled: true, serverUrl: server.url } });

      await fillOutbox(core, who, 1200);
      const started = await core.call('sync.now', {});
      expect(started).toMatchObject({ ok: true, result: { running: true } });
      const deadline = Date.now() + 20_000;
      let s: SyncStatus;
      do {
        await new Promise((r) => setTimeout(r, 50));
        s = await status();
      } while (s.running && Date.now() < deadline);
      expect(s).toMatchObject({ running: false, online: true, lastError: null, outbox: { unsent: 0, sentBatches: 3 } });
      expect(s.lastSuccessAt).not.toBeNull();
      const progress = events.filter((e) => e.type === 'job.progress');
      expect(progress.length).toBeGreaterThanOrEqual(3);
      expect(progress.at(-1)).toMatchObject({ progress: { jobId: 'sync', done: 1200, total: 1200 } });
      expect(events.some((e) => e.type === 'sync.changed')).toBe(true);

      // A refusal stays until a person retries it.
      await server.storage.revokeDevice(who.deviceId, new Date().toISOString());
      await fillOutbox(core, who, 5, 5000);
      await core.sync.syncNow();
      const refused = (await core.call('sync.status', {})) as { ok: true; result: SyncStatus };
      expect(refused.result.refused).toEqual([{ seq: 4, reason: expect.stringContaining('revoked') }]);
      const retried = (await core.call('sync.retryRefused', {})) as { ok: true; result: SyncStatus };
      expect(retried.result.refused).toEqual([]);

      const out = await core.call('sync.exportBatches', { outDir: `${tmp.dir}/usb`, fromSeq: 3 });
      expect(out).toMatchObject({ ok: true, result: { files: [expect.stringContaining('-00000003.cbatch'), expect.stringContaining('-00000004.cbatch')] } });
      expect(readdirSync(`${tmp.dir}/usb`)).toHaveLength(2);
    } finally {
      await core.close();
      await server.close();
    }
  });
});
