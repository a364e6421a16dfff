import { useCallback, useEffect, useRef, useState } from 'react';
import type { EscalationItem } from '../../../../shared/contract/index.ts';
import type { Severity } from '../../../../shared/domain/index.ts';
import { call } from '../../api/client.ts';
import { useQuery } from '../../api/useQuery.ts';
import { useIdentity } from '../../state/identity.ts';
import { useBundles } from '../../state/bundles.ts';
import { navigate, useRouter } from '../../state/router.ts';
import { KindBadge } from '../../components/Badges.tsx';
import { ShortcutKbd } from '../../components/Kbd.tsx';
import { Loading } from '../../components/Spinner.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { BundleFilter } from './BundleFilter.tsx';
import { useRowSelection } from './useRowSelection.ts';
import { useReviewContext } from '../../state/reviewContext.ts';
import { scopeText, when } from './describe.ts';

const rowDomId = (e: EscalationItem): string => `esc-${e.annotationId}-${e.escalationId}`.replace(/[^A-Za-z0-9_-]/g, '_');

/** The reviewers' escalation queue: every escalation on submitted work, most severe first. */
export function EscalationQueueView() {
  const identity = useIdentity((s) => s.identity);
  const bundles = useBundles((s) => s.list);
  const loadList = useBundles((s) => s.loadList);
  const reloadKey = useRouter((s) => s.reloadKey);
  const [bundleId, setBundleId] = useState('');
  const [minSeverity, setMinSeverity] = useState<Severity | ''>('');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const allowed = identity !== null && identity.role !== 'annotator';

  useEffect(() => {
    if (!bundles) void loadList();
  }, [bundles, loadList]);

  const { result: items, error } = useQuery(
    allowed ? () => call('reviews.escalations', { ...(bundleId ? { bundleId } : {}), ...(minSeverity ? { minSeverity } : {}) }) : null,
    [allowed, bundleId, minSeverity, reloadKey],
  );

  const open = useCallback((e: EscalationItem) => {
    useReviewContext.getState().set(e);
    void navigate({ name: 'task', bundleId: e.bundleId, taskId: e.taskId });
  }, []);
  const rows = items ?? [];
  const { index: selIndex, setSelected, listRef, activeId } = useRowSelection(rows, open, rowDomId);

  // Focus once the first results arrive: on the list when it has rows, else on the title.
  const loaded = items !== null;
  const hasRows = rows.length > 0;
  useEffect(() => {
    if (!loaded) return;
    if (hasRows) listRef.current?.focus();
    else headingRef.current?.focus();
  }, [loaded, hasRows, listRef]);

  const high = rows.filter((e) => e.severity === 'high' || e.severity === 'critical').length;

  return (
    <main className="page page-wide" id="main" tabIndex={-1}>
      <div className="page-header">
        <div>
          <h1 className="page-title" ref={headingRef} tabIndex={-1}>
            Escalation queue
          </h1>
          <p className="muted">What annotators could not or should not decide, most severe first, then longest waiting.</p>
        </div>
        {items ? (
          <p className="muted small">
            {rows.length} escalation{rows.length === 1 ? '' : 's'}
            {high > 0 ? <span className="high-count"> · {high} high or critical</span> : null}
          </p>
        ) : null}
      </div>
      {!allowed ? (
        <div className="panel empty">
          <h2 className="section-title">For reviewers and admins</h2>
          <p className="muted">This workstation’s identity is an annotator. Escalations you submit appear here for a reviewer.</p>
        </div>
      ) : (
        <>
          <div className="review-filters" role="group" aria-label="Filters">
            <BundleFilter value={bundleId} onChange={setBundleId} />
            <label className="field-inline">
              <span className="field-label">At least</span>
              <select className="input" value={minSeverity} onChange={(e) => setMinSeverity(e.target.value as Severity | '')}>
                <option value="">Any severity</option>
                <option value="medium">Medium</option>
                <option value="high">High</option>
                <option value="critical">Critical</option>
              </select>
            </label>
            <span className="muted small hide-narrow">
              <ShortcutKbd id="review.down" /> <ShortcutKbd id="review.up" /> move · <ShortcutKbd id="review.open" /> open the task
            </span>
          </div>
          {error ? <LoadError error={error} what="the escalation queue" /> : null}
          {!items && !error ? <Loading label="Loading escalations…" /> : null}
          {items && rows.length === 0 ? (
            // Not an empty listbox: a listbox must own options (axe: aria-required-children).
            <div className="review-list">
              <p className="queue-empty">Nothing escalated. Submitted tasks with an escalation appear here.</p>
            </div>
          ) : null}
          {items && rows.length > 0 ? (
            <div
              ref={listRef}
              role="listbox"
              aria-label="Escalations"
              tabIndex={0}
              aria-activedescendant={activeId}
              className="review-list"
            >
              {rows.map((e, i) => (
                <div
                  key={rowDomId(e)}
                  id={rowDomId(e)}
                  role="option"
                  aria-selected={i === selIndex}
                  className={`review-row esc-row${i === selIndex ? ' is-selected' : ''}`}
                  onClick={() => {
                    setSelected(i);
                    open(e);
                  }}
                >
                  <span className={`severity-badge severity-badge-${e.severity}`}>{e.severity}</span>
                  <span className="review-row-main">
                    <span className="review-row-top">
                      <strong>{e.reasonLabel}</strong>
                      <span className="muted">·</span>
                      <span className="review-task">{e.taskTitle}</span>
                      <KindBadge kind={e.kind} />
                    </span>
                    {e.note ? <span className="review-note">{e.note}</span> : null}
                    <span className="review-meta muted small">
                      {e.annotatorName} · {scopeText(e.scope)} · revision {e.revision}
                      {e.answered ? ' · answered' : ' · escalated without an answer'}
                      {e.submittedAt ? ` · ${when(e.submittedAt)}` : ''}
                    </span>
                  </span>
                </div>
              ))}
            </div>
          ) : null}
        </>
      )}
    </main>
  );
}
