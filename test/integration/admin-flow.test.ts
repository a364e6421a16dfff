import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CoreEvent, Response } from '../../shared/contract/index.ts';
import { fingerprint, keyId } from '../../shared/node/keys.ts';
import { ORG_KEY } from '../support/fixture-keys.ts';
import { workstation, type Workstation } from '../support/workstation.ts';

const MINIMAL = fileURLToPath(new URL('../fixtures/bundle-src/minimal', import.meta.url));

async function call<M extends 'admin.validateSource' | 'admin.buildBundle' | 'trust.add' | 'bundles.importFile' | 'queue.list' | 'identity.setup' | 'tasks.open'>(
  ws: Workstation,
  method: M,
  req: unknown,
): Promise<Response<M>> {
  const r = await ws.core.call(method, req);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.result as Response<M>;
}

describe('admin flow through the contract: build from JSONL on one workstation, import on another', () => {
  it('validates, previews, signs, and a second data dir imports the bundle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-admin-'));
    const src = join(dir, 'src');
    cpSync(MINIMAL, src, { recursive: true });
    rmSync(join(src, 'tasks.jsonl'));
    writeFileSync(join(src, 'bundle.json'), JSON.stringify({ format: 'casebook.bundle/1', id: 'acme.dosing', version: 1, title: 'Dosing comparisons' }));
    const rows = Array.from({ length: 2500 }, (_, i) => ({ id: `q${i}`, prompt: `Dose question ${i}?`, outputs: [{ text: `A${i}`, model: 'm-a' }, { text: `B${i}`, model: 'm-b' }], ...(i % 10 === 0 ? { gold: 'r1' } : {}) }));
    writeFileSync(join(dir, 'prompts.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
    writeFileSync(
      join(dir, 'map.json'),
      JSON.stringify({ format: 'casebook.mapping/1', kind: 'compare', id: 'id', prompt: 'prompt', responses: { list: 'outputs', content: 'text', model: 'model' }, goldPreferred: 'gold' }),
    );
    writeFileSync(join(dir, 'org.jwk'), JSON.stringify(ORG_KEY.privateJwk));
    const tasks = { from: 'jsonl', file: join(dir, 'prompts.jsonl'), mappingFile: join(dir, 'map.json') };

    const admin = await workstation({ now: new Date(), role: 'admin' });
    // The annotator's org key is set up by whoever runs the workstation (trust.add is for admins).
    const annotator = await workstation({ now: new Date(), trust: [{ jwk: ORG_KEY.publicJwk, label: 'Acme' }] });
    try {
      const report = await call(admin, 'admin.validateSource', { sourceDir: src, tasks, previewCount: 2 });
      expect(report).toMatchObject({ problems: [], bundle: { id: 'acme.dosing', version: 1 }, taskCount: 2500, goldCount: 250, taskCounts: { compare: 2500 } });
      // The preview is what annotators will see: no gold, no model names.
      expect(report.preview[0]).toEqual({ id: 'q0', kind: 'compare', context: [{ role: 'user', content: 'Dose question 0?' }], responses: [{ id: 'r1', content: 'A0' }, { id: 'r2', content: 'B0' }] });

      const events: CoreEvent[] = [];
      admin.core.subscribe((e) => events.push(e));
      const out = join(dir, 'acme.dosing-v1.cbundle');
      const built = await call(admin, 'admin.buildBundle', { sourceDir: src, tasks, keyFile: join(dir, 'org.jwk'), outFile: out });
      expect(built).toMatchObject({ bundleId: 'acme.dosing', version: 1, taskCount: 2500 });
      // The signer's public half comes back, so an admin can trust it on the spot (and nothing private does).
      expect(built.signer).toEqual({ jwk: ORG_KEY.publicJwk, keyId: keyId(ORG_KEY.publicJwk), fingerprint: fingerprint(ORG_KEY.publicJwk) });
      const progress = events.flatMap((e) => (e.type === 'job.progress' ? [e.progress] : []));
      expect(progress.map((p) => p.done)).toEqual([0, 1000, 2000, 2500]);
      expect(progress.at(-1)).toMatchObject({ finished: true, error: null });

      expect(await call(annotator, 'bundles.importFile', { path: out })).toMatchObject({ outcome: 'imported', bundleId: 'acme.dosing', taskCount: 2500 });
      await call(annotator, 'identity.setup', { displayName: 'Ada', role: 'annotator' });
      const queue = await call(annotator, 'queue.list', { bundleId: 'acme.dosing', limit: 3 });
      expect(queue.total).toBe(2500);
      expect(queue.items.map((i) => i.taskId)).toEqual(['q0', 'q1', 'q2']);
    } finally {
      await admin.dispose();
      await annotator.dispose();
    }
  });

  it('a source with problems is reported in full and nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-admin-bad-'));
    const src = join(dir, 'src');
    cpSync(MINIMAL, src, { recursive: true });
    writeFileSync(join(src, 'tasks.jsonl'), '{"id":"a","kind":"compare","context":[{"role":"user","content":"Q"}],"responses":[{"id":"r1","content":"x"}]}\n{"id":"a","kind":"exemplar"}\n');
    writeFileSync(join(dir, 'org.jwk'), JSON.stringify(ORG_KEY.privateJwk));
    const admin = await workstation({ now: new Date(), role: 'admin' });
    try {
      const report = await call(admin, 'admin.validateSource', { sourceDir: src });
      expect(report.problems.map((p) => [p.file, p.line])).toEqual([
        ['tasks.jsonl', 1],
        ['tasks.jsonl', 2],
        ['tasks.jsonl', 2],
      ]);
      const out = join(dir, 'x.cbundle');
      const r = await admin.core.call('admin.buildBundle', { sourceDir: src, keyFile: join(dir, 'org.jwk'), outFile: out });
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toMatchObject({ code: 'validation_failed', issues: expect.arrayContaining([expect.objectContaining({ path: 'tasks.jsonl: line 1: task a.responses' })]) });
      expect(existsSync(out)).toBe(false);
    } finally {
      await admin.dispose();
    }
  });
});

describe('admin.buildBundle writes only .cbundle files', () => {
  it('refuses another output name before doing anything', async () => {
    const admin = await workstation({ now: new Date(), role: 'admin' });
    try {
      const r = await admin.core.call('admin.buildBundle', { sourceDir: MINIMAL, keyFile: '/nonexistent.jwk', outFile: join(tmpdir(), '.bashrc') });
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toMatchObject({ code: 'invalid_request', issues: [{ path: 'outFile', message: 'the bundle file name must end in .cbundle' }] });
      // The message is for people: what to fix, with no method name or field id.
      expect(!r.ok && r.error.message).toBe('The bundle file name must end in .cbundle.');
    } finally {
      await admin.dispose();
    }
  });
});
