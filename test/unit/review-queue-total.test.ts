import { describe, expect, it } from 'vitest';
import { QUEUE_TOTAL_CAP, reviewQueue } from '../../electron/core/review/queue.ts';
import { openDatabase } from '../../electron/core/store/database.ts';
import { ReviewQueueRequest } from '../../shared/contract/index.ts';
import { tempDir } from '../helpers/workspace.ts';

/**
 * The queue's total is exact up to a cap and says so past it: a reviewer sees "1,000+ tasks",
 * never a wrong exact figure, and the open-escalation filter (its own index) counts the same way.
 */
describe('disagreement queue total', () => {
  const withQueue = (tasks: number, openEvery: number, run: (q: (req: object) => ReturnType<typeof reviewQueue>) => void): void => {
    const tmp = tempDir();
    const db = openDatabase(`${tmp.dir}/casebook.sqlite`);
    try {
      // The index rows alone: titles come from tasks, which need a bundle row the test has no use for.
      db.pragma('foreign_keys = OFF');
      const task = db.prepare("INSERT INTO tasks (bundle_id, task_id, title, kind, position, body, hash, bundle_version) VALUES ('b', ?, ?, 'compare', ?, '{}', 'h', 1)");
      const row = db.prepare("INSERT INTO review_index VALUES ('b', ?, ?, 'compare', 3, ?, '{}', 0, 0, ?, ?, 'none', NULL, 'now')");
      db.transaction(() => {
        for (let i = 0; i < tasks; i++) {
          const open = i % openEvery === 0 ? 1 : 0;
          task.run(`t${i}`, `Task ${i}`, i);
          row.run(`t${i}`, i, (i % 7) / 7, open, open);
        }
      })();
      run((req) => reviewQueue({ db }, ReviewQueueRequest.parse({ bundleId: 'b', ...req })));
    } finally {
      db.close();
      tmp.cleanup();
    }
  };

  it('is exact at the cap and capped one past it, with pages still in queue order', () => {
    withQueue(QUEUE_TOTAL_CAP, 10, (q) => {
      expect(q({})).toMatchObject({ total: QUEUE_TOTAL_CAP, totalCapped: false });
      expect(q({ escalation: 'open' })).toMatchObject({ total: QUEUE_TOTAL_CAP / 10, totalCapped: false });
    });
    withQueue(QUEUE_TOTAL_CAP + 1, 1, (q) => {
      const page = q({ limit: 3 });
      expect(page).toMatchObject({ total: QUEUE_TOTAL_CAP, totalCapped: true });
      expect(page.items.map((i) => [i.taskId, i.taskTitle])).toEqual([['t6', 'Task 6'], ['t13', 'Task 13'], ['t20', 'Task 20']]);
      const open = q({ escalation: 'open', limit: 3 });
      expect(open).toMatchObject({ total: QUEUE_TOTAL_CAP, totalCapped: true });
      expect(open.items.map((i) => i.taskId)).toEqual(['t6', 't13', 't20']);
      // Past the cap, paging still reaches the end of the queue.
      expect(q({ offset: QUEUE_TOTAL_CAP, limit: 5 }).items).toHaveLength(1);
    });
  });
});
