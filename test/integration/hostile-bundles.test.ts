import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/contract/index.ts';
import { GOOD, HOSTILE, TEST_NOW, BUNDLE_ID } from '../fixtures/hostile/corpus.ts';
import { readme } from '../fixtures/hostile/make.ts';
import { ORG_KEY, ROTATED_ORG_KEY } from '../support/fixture-keys.ts';
import { describeTrustedKeys } from '../../electron/core/trust/trust-store.ts';
import { keyId } from '../../shared/node/keys.ts';
import { storeDigest, workstation, type Workstation } from '../support/workstation.ts';

const DIR = fileURLToPath(new URL('../fixtures/hostile/', import.meta.url));
const file = (f: string) => join(DIR, f);

describe('hostile bundle corpus', () => {
  let ws: Workstation;
  beforeAll(async () => {
    ws = await workstation({ now: TEST_NOW, trust: [{ jwk: ORG_KEY.publicJwk, label: 'Test org' }] });
    await ws.core.importBundle(file('good-v2.cbundle'));
    // Some work on the installed version, so "nothing changed" covers annotations too.
    await ws.core.call('identity.setup', { displayName: 'Ada', role: 'annotator' });
    const saved = await ws.core.call('annotations.saveDraft', {
      bundleId: BUNDLE_ID,
      taskId: 't-exemplar',
      content: { answer: { kind: 'exemplar', corrected: 'Twelve years for a deed.', draftScores: {}, note: '', errorTypes: [] } },
    });
    expect(saved.ok).toBe(true);
  });
  afterAll(() => ws.dispose());

  it('the committed files are exactly what make.ts produces', () => {
    for (const c of [...GOOD, ...HOSTILE]) expect(readFileSync(file(c.file)).equals(c.build()), c.file).toBe(true);
    expect(readFileSync(file('README.md'), 'utf8')).toBe(readme());
  });

  it.each(HOSTILE.map((c) => [c.file, c] as const))('%s is refused with its reason and changes nothing', async (_name, c) => {
    const before = storeDigest(ws.core.ctx.db);
    const error = await ws.core.importBundle(file(c.file)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, `${c.file} was accepted`).toBeInstanceOf(ApiError);
    const api = error as ApiError;
    expect(api.code).toBe(c.expect.code);
    expect(api.message).toMatch(c.expect.reason);
    expect(api.message).toContain(`[${c.expect.refusal}]`);
    expect(api.message).toMatch(/nothing was (imported|changed)/);
    expect(storeDigest(ws.core.ctx.db)).toEqual(before);
  });

  it('a real update (good v3) is accepted by the same store, so the refusals are not blanket', async () => {
    const r = await ws.core.importBundle(file('good-v3.cbundle'));
    expect(r).toMatchObject({ bundleId: BUNDLE_ID, version: 3, outcome: 'updated' });
  });

  it('a bundle signed by the new key and carrying the rotation statement (good v4) is accepted, and the new key trusted', async () => {
    const r = await ws.core.importBundle(file('good-v4-rotated.cbundle'));
    expect(r).toMatchObject({ bundleId: BUNDLE_ID, version: 4, outcome: 'updated' });
    expect(describeTrustedKeys(ws.core.ctx.db)).toMatchObject([{ keyId: keyId(ROTATED_ORG_KEY.publicJwk), label: 'Org 2027', endorsedBy: keyId(ORG_KEY.publicJwk) }]);
  });
});
