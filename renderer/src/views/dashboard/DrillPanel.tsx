import { useEffect, useRef } from 'react';
import type { Drill, InsightFilter } from '../../../../shared/insight/index.ts';
import { call } from '../../api/client.ts';
import { useQuery } from '../../api/useQuery.ts';
import { Loading } from '../../components/Spinner.tsx';
import { LoadError } from '../../components/LoadError.tsx';

/**
 * The tasks behind a figure (insight.tasks), each linking to the task's adjudication route
 * (#/b/ID/t/TASK/adjudicate, the reviewers' disagreement screen; until that route exists the
 * same address opens the task).
 */
export function taskHref(bundleId: string, taskId: string): string {
  return `#/b/${encodeURIComponent(bundleId)}/t/${encodeURIComponent(taskId)}/adjudicate`;
}

const show = (v: unknown) => (v === null || v === undefined ? '—' : String(v));

export function DrillPanel({ filter, drill, title, onClose }: { filter: InsightFilter; drill: Drill; title: string; onClose: () => void }) {
  const { result, error } = useQuery(() => call('insight.tasks', { filter, drill, limit: 200 }), [filter, drill]);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [drill]);
  return (
    <section className="panel dash-drill" aria-labelledby="dash-drill-title">
      <div className="page-header">
        <h2 className="section-title" id="dash-drill-title" ref={heading} tabIndex={-1}>
          Tasks behind: {title}
        </h2>
        <button type="button" className="btn btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      {error ? <LoadError error={error} what="the tasks" /> : null}
      {!result && !error ? <Loading label="Finding the tasks…" /> : null}
      {result ? (
        <>
          <p className="muted small" role="status">
            {result.total} {result.total === 1 ? 'task' : 'tasks'}
            {result.total > result.rows.length ? `, first ${result.rows.length} shown` : ''}
          </p>
          <table className="review-table dash-table">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Part</th>
                <th scope="col">Answers</th>
                <th scope="col">Gold</th>
                <th scope="col">Adjudicated</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r, i) => (
                <tr key={`${r.taskId}/${r.part ?? ''}/${r.field ?? ''}/${i}`}>
                  <th scope="row">
                    <a href={taskHref(r.bundleId, r.taskId)}>
                      {r.taskId}
                    </a>{' '}
                    <span className="muted small">
                      {r.bundleId} v{r.bundleVersion}
                    </span>
                  </th>
                  <td>{r.part ?? '—'}</td>
                  <td>
                    {Object.entries(r.values)
                      .map(([who, v]) => `${who}: ${show(v)}`)
                      .join('; ') || '—'}
                  </td>
                  <td>{show(r.goldAnswer)}</td>
                  <td>{show(r.adjudicated)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
