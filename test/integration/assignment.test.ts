import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BundleSummary, QueueItem } from '../../shared/contract/index.ts';
import { annotatorKey, assigneesOf } from '../../shared/domain/index.ts';
import { BUNDLE_ID, goodFiles, signedBy, TEST_NOW } from '../fixtures/hostile/corpus.ts';
import { ORG_KEY } from '../support/fixture-keys.ts';
import { workstation, type Workstation } from '../support/workstation.ts';

const NAMES = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing'];
const tasks = Array.from({ length: 6 }, (_, i) => JSON.stringify({ id: `e${i}`, kind: 'exemplar', context: [{ role: 'user', content: `Q${i}` }], draft: 'D' })).join('\n');

describe('assignment: the queue shows an annotator only their tasks', () => {
  let ws: Workstation;
  beforeEach(async () => {
    ws = await workstation({ now: TEST_NOW, trust: [{ jwk: ORG_KEY.publicJwk, label: 'Org' }] });
    const path = join(mkdtempSync(join(tmpdir(), 'cb-assign-')), 'b.cbundle');
    writeFileSync(path, signedBy(ORG_KEY.privateJwk, goodFiles(1, { tasks, settings: { assignment: { perTask: 2, annotators: NAMES } } }), 1));
    const r = await ws.core.call('bundles.importFile', { path });
    expect(r.ok).toBe(true);
  });
  afterEach(() => ws.dispose());

  const as = async (displayName: string) => {
    await ws.core.call('identity.setup', { displayName, role: 'annotator' });
    const q = await ws.core.call('queue.list', { bundleId: BUNDLE_ID });
    const next = await ws.core.call('tasks.next', { bundleId: BUNDLE_ID });
    const list = await ws.core.call('bundles.list', {});
    if (!q.ok || !next.ok || !list.ok) throw new Error('call failed');
    const page = q.result as { items: QueueItem[]; total: number };
    return { ids: page.items.map((i) => i.taskId), total: page.total, next: (next.result as { taskId: string | null }).taskId, todo: (list.result as BundleSummary[])[0]!.counts.todo };
  };

  it('gives each task perTask annotators, matching display names loosely (case, spacing, Unicode form)', async () => {
    expect(await as('  ada   LOVELACE ')).toEqual({ ids: ['e0', 'e1', 'e3', 'e4'], total: 4, next: 'e0', todo: 4 });
    expect(await as('Grace Hopper')).toEqual({ ids: ['e0', 'e2', 'e3', 'e5'], total: 4, next: 'e0', todo: 4 });
    expect(await as('Alan Turing')).toEqual({ ids: ['e1', 'e2', 'e4', 'e5'], total: 4, next: 'e1', todo: 4 });
  });

  it('someone the bundle does not name gets an empty queue', async () => {
    expect(await as('Eve')).toEqual({ ids: [], total: 0, next: null, todo: 0 });
  });

  it('the stored assignment follows the documented rule', () => {
    const rows = ws.core.ctx.db.prepare('SELECT annotator, position FROM task_assignees WHERE bundle_id = ? ORDER BY position, annotator').all(BUNDLE_ID) as { annotator: string; position: number }[];
    const expected = Array.from({ length: 6 }, (_, p) => assigneesOf(p, 2, 3).map((i) => ({ annotator: annotatorKey(NAMES[i]!), position: p })))
      .flat()
      .sort((a, b) => a.position - b.position || a.annotator.localeCompare(b.annotator));
    expect(rows).toEqual(expected);
    expect(annotatorKey('Ｄｒ　Ａｄａ')).toBe('dr ada'); // full-width letters and space, NFKC
  });
});
