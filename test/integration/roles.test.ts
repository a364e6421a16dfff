import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { METHOD_ROLES, type Method } from '../../shared/contract/index.ts';
import type { Role } from '../../shared/domain/index.ts';
import { keyId } from '../../shared/node/keys.ts';
import { signRotation } from '../../shared/node/rotation.ts';
import { run } from '../../electron/cli/main.ts';
import { MINIMAL_SRC } from '../helpers/workspace.ts';
import { TEST_NOW } from '../fixtures/hostile/corpus.ts';
import { ORG_KEY, ROTATED_ORG_KEY } from '../support/fixture-keys.ts';
import { storeDigest, workstation, type Workstation } from '../support/workstation.ts';

const ROLES: readonly Role[] = ['annotator', 'reviewer', 'admin'];

/** A well-formed request for every privileged method, in an order that works when allowed. */
function requests(dir: string): [Method, unknown][] {
  const keyFile = join(dir, 'org.jwk');
  writeFileSync(keyFile, JSON.stringify(ORG_KEY.privateJwk));
  return [
    ['admin.validateSource', { sourceDir: MINIMAL_SRC }],
    ['admin.buildBundle', { sourceDir: MINIMAL_SRC, keyFile, outFile: join(dir, 'out.cbundle') }],
    // Nothing listens on port 9: allowed, it fails for that reason only.
    ['admin.publishBundle', { file: join(dir, 'out.cbundle'), serverUrl: 'http://127.0.0.1:9', adminToken: 'cbadm_x' }],
    ['trust.add', { jwk: ORG_KEY.publicJwk, label: 'Org' }],
    ['trust.rotate', { statement: JSON.stringify(signRotation(ORG_KEY.privateJwk, ROTATED_ORG_KEY.privateJwk, 'Org 2027', TEST_NOW)) }],
    ['trust.remove', { key: keyId(ROTATED_ORG_KEY.publicJwk) }],
    ['reviews.escalations', {}],
    ['reviews.flagged', {}],
    ['sync.pullReviews', {}],
    ['sync.importBatches', { files: [join(dir, 'none.cbatch')] }],
    ['export.run', { formats: ['full'], outDir: join(dir, 'export') }],
    // No bundle is installed: allowed, these fail for that reason only.
    ['admin.deriveBundle', { bundleId: 'test.minimal', outDir: join(dir, 'derived') }],
    ['assumptions.markCandidate', { bundleId: 'test.minimal', annotationId: '00000000-0000-4000-8000-000000000000', assumptionId: 'as1' }],
    ['assumptions.unmarkCandidate', { bundleId: 'test.minimal', annotationId: '00000000-0000-4000-8000-000000000000', assumptionId: 'as1' }],
    ['reviews.queue', { bundleId: 'none' }],
    ['reviews.annotators', { bundleId: 'none' }],
    ['reviews.task', { bundleId: 'none', taskId: 't' }],
    ['reviews.bulkAcceptPreview', { bundleId: 'none' }],
    ['reviews.bulkAccept', { bundleId: 'none', taskIds: ['t'] }],
    ['reviews.importBatchFiles', { files: [join(dir, 'none.cbatch')] }],
    ['reviews.pull', {}],
    ['adjudications.saveDraft', { bundleId: 'none', taskId: 't', method: 'own', rationale: 'x' }],
    ['adjudications.submit', { bundleId: 'none', taskId: 't', method: 'own', rationale: 'x' }],
    ['adjudications.discardDraft', { bundleId: 'none', taskId: 't' }],
    ['reviews.work', { bundleId: 'none', taskId: 't', annotatorId: 'a' }],
    ['sync.importBatchData', { files: [{ name: 'none.cbatch', data: 'AAAA' }] }],
    ['insight.dashboard', {}],
    ['insight.tasks', { drill: { show: 'work' } }],
  ];
}

describe('role checks on privileged core methods', () => {
  let ws: Workstation | null = null;
  afterEach(async () => {
    await ws?.dispose();
    ws = null;
  });

  it('every privileged method has a request in this test', () => {
    expect(requests(mkdtempSync(join(tmpdir(), 'cb-roles-'))).map(([m]) => m).sort()).toEqual(Object.keys(METHOD_ROLES).sort());
  });

  it.each(ROLES)('as %s: each privileged method is allowed or refused exactly as METHOD_ROLES says', async (role) => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-roles-'));
    ws = await workstation({ now: TEST_NOW, role });
    for (const [method, req] of requests(dir)) {
      const allowed = METHOD_ROLES[method]!.includes(role);
      const before = storeDigest(ws.core.ctx.db);
      const r = await ws.core.call(method, req);
      if (allowed) {
        // Allowed calls may still fail for their own reasons (no sync server here), never for the role.
        if (!r.ok) expect(r.error.code, `${method}: ${r.error.message}`).not.toBe('forbidden');
        // No server and no bundle here: these fail for that reason alone.
        if (!['sync.pullReviews', 'sync.importBatches', 'admin.publishBundle', 'admin.deriveBundle', 'assumptions.markCandidate', 'reviews.task', 'reviews.work', 'sync.importBatchData', 'reviews.pull', 'adjudications.saveDraft', 'adjudications.submit'].includes(method)) expect(r.ok, `${method} as ${role}`).toBe(true);
      } else {
        expect(r.ok, `${method} as ${role}`).toBe(false);
        if (r.ok) continue;
        expect(r.error.code).toBe('forbidden');
        expect(r.error.message).toContain(method);
        expect(r.error.message).toContain(`set up for ${role === 'annotator' || role === 'admin' ? 'an' : 'a'} ${role}`);
        expect(storeDigest(ws.core.ctx.db)).toEqual(before);
      }
    }
    // A refused build wrote nothing.
    expect(existsSync(join(dir, 'out.cbundle'))).toBe(role === 'admin');
  });

  it('reading the trust store stays open to every role (fingerprints are compared by everyone)', async () => {
    for (const role of ROLES) {
      ws = await workstation({ now: TEST_NOW, role });
      expect(await ws.core.call('trust.list', {}), role).toMatchObject({ ok: true });
      await ws.dispose();
      ws = null;
    }
  });

  it('before setup a privileged method says to set up first', async () => {
    ws = await workstation({ now: TEST_NOW });
    expect(await ws.core.call('trust.add', { jwk: ORG_KEY.publicJwk, label: 'Org' })).toMatchObject({ ok: false, error: { code: 'not_set_up' } });
  });

  it('the command line keeps its admin path whatever the workstation role', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-roles-cli-'));
    const annotator = await workstation({ now: TEST_NOW, role: 'annotator' });
    const data = annotator.core.ctx.dataDir;
    await annotator.core.close();
    try {
      writeFileSync(join(dir, 'org.pub.jwk'), JSON.stringify({ ...ORG_KEY.publicJwk, label: 'Org' }));
      const quiet = { out: () => undefined, err: () => undefined };
      expect(await run(['trust', 'add', join(dir, 'org.pub.jwk'), '--data', data], quiet)).toBe(0);
      expect(await run(['trust', 'remove', keyId(ORG_KEY.publicJwk), '--data', data], quiet)).toBe(0);
    } finally {
      rmSync(annotator.dir, { recursive: true, force: true });
    }
  });
});
