import { useEffect, useRef, useState } from 'react';
import { roleMayCall } from '../../../../shared/contract/index.ts';
import { call } from '../../api/client.ts';
import { useQuery } from '../../api/useQuery.ts';
import { useIdentity } from '../../state/identity.ts';
import { useBundles } from '../../state/bundles.ts';
import { navigate, routeToHash, useRouter } from '../../state/router.ts';
import { KindBadge } from '../../components/Badges.tsx';
import { Loading } from '../../components/Spinner.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { BundleFilter } from './BundleFilter.tsx';
import { when } from './describe.ts';

const PAGE = 200;

/**
 * For reviewers: work kept across a bundle update that changed the task under it, in every
 * bundle, until its annotator revises it. Each row links to the task. A plain table of links
 * rather than a listbox: rows hold a link, and links inside options are not accessible.
 */
export function FlaggedReviewView() {
  const identity = useIdentity((s) => s.identity);
  const bundles = useBundles((s) => s.list);
  const loadList = useBundles((s) => s.loadList);
  const reloadKey = useRouter((s) => s.reloadKey);
  const [bundleId, setBundleId] = useState('');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const allowed = identity !== null && roleMayCall(identity.role, 'reviews.flagged');

  useEffect(() => {
    if (!bundles) void loadList();
  }, [bundles, loadList]);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const { result, error } = useQuery(allowed ? () => call('reviews.flagged', { ...(bundleId ? { bundleId } : {}), limit: PAGE }) : null, [allowed, bundleId, reloadKey]);

  const rows = result?.items ?? [];
  return (
    <main className="page page-wide" id="main" tabIndex={-1}>
      <div className="page-header">
        <div>
          <h1 className="page-title" ref={headingRef} tabIndex={-1}>
            Flagged after bundle updates
          </h1>
          <p className="muted">Annotations kept when a new bundle version changed their task, waiting for a second look. Revising and submitting clears the flag.</p>
        </div>
        {result ? (
          <p className="muted small" role="status">
            {result.total} flagged{result.total > rows.length ? `, first ${rows.length} shown` : ''}
          </p>
        ) : null}
      </div>
      {!allowed ? (
        <div className="panel empty">
          <h2 className="section-title">For reviewers and admins</h2>
          <p className="muted">Your own flagged work is marked in each bundle’s queue.</p>
        </div>
      ) : (
        <>
          <div className="review-filters" role="group" aria-label="Filters">
            <BundleFilter value={bundleId} onChange={setBundleId} />
          </div>
          {error ? <LoadError error={error} what="the flagged annotations" /> : null}
          {!result && !error ? <Loading label="Loading flagged annotations…" /> : null}
          {result && rows.length === 0 ? <div className="queue-empty">Nothing flagged. Work on tasks that a bundle update changed appears here.</div> : null}
          {rows.length > 0 ? (
            <table className="review-table">
              <caption className="sr-only">Flagged annotations</caption>
              <thead>
                <tr>
                  <th scope="col">Task</th>
                  <th scope="col">Bundle</th>
                  <th scope="col">Annotator</th>
                  <th scope="col">Changed</th>
                  <th scope="col">Flagged</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((f) => {
                  // The annotator's work, read-only: not this reviewer's own (blank) form for the task.
                  const route = { name: 'work', bundleId: f.bundleId, taskId: f.taskId, annotatorId: f.annotatorId } as const;
                  return (
                    <tr key={`${f.bundleId}/${f.taskId}/${f.annotatorId}`}>
                      <td>
                        <a
                          href={routeToHash(route)}
                          onClick={(e) => {
                            e.preventDefault();
                            void navigate(route);
                          }}
                        >
                          {f.taskTitle}
                        </a>{' '}
                        <KindBadge kind={f.kind} />
                        {f.retired ? <span className="muted small"> · removed from the bundle</span> : null}
                      </td>
                      <td>{f.bundleTitle}</td>
                      <td>{f.annotatorName}</td>
                      <td>
                        v{f.fromVersion} → v{f.toVersion}
                      </td>
                      <td className="muted small">{when(f.flaggedAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : null}
        </>
      )}
    </main>
  );
}
