import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { BundleDetail, QueueStatus, StatusCounts } from '../../../../shared/contract/index.ts';
import { useQueue } from '../../state/queue.ts';
import { useBundles } from '../../state/bundles.ts';
import { navigate, useRouter } from '../../state/router.ts';
import { useShortcuts } from '../../keyboard/manager.ts';
import { digitOf, hint } from '../../keyboard/registry.ts';
import { KindBadge, StatusPill } from '../../components/Badges.tsx';
import { ShortcutKbd } from '../../components/Kbd.tsx';
import { Loading } from '../../components/Spinner.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { Markdown } from '../../components/Markdown.tsx';
import { ProgressBar } from '../../components/ProgressBar.tsx';

const TABS: Array<{ status: QueueStatus; label: string }> = [
  { status: 'all', label: 'All' },
  { status: 'todo', label: 'To do' },
  { status: 'draft', label: 'Draft' },
  { status: 'submitted', label: 'Submitted' },
  { status: 'escalated', label: 'Escalated' },
];

const totalOf = (c: StatusCounts): number => c.todo + c.draft + c.submitted + c.escalated;

export function QueueView({ bundleId }: { bundleId: string }) {
  const q = useQueue();
  const reloadKey = useRouter((s) => s.reloadKey);
  const detailOf = useBundles((s) => s.detail);
  const [bundle, setBundle] = useState<BundleDetail | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const { load, select } = q;

  useEffect(() => {
    void load(bundleId);
  }, [bundleId, load, reloadKey]);

  useEffect(() => {
    let live = true;
    detailOf(bundleId).then(
      (b) => live && setBundle(b),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [bundleId, detailOf, reloadKey]);

  useEffect(() => {
    listRef.current?.focus();
  }, []);

  // Keep the highlighted row in view.
  useEffect(() => {
    if (!q.selectedTaskId) return;
    document.getElementById(optionId(q.selectedTaskId))?.scrollIntoView({ block: 'nearest' });
  }, [q.selectedTaskId]);

  const index = q.items.findIndex((i) => i.taskId === q.selectedTaskId);
  const move = (delta: number): void => {
    if (q.items.length === 0) return;
    const next = Math.max(0, Math.min(q.items.length - 1, (index < 0 ? 0 : index) + delta));
    select(q.items[next]?.taskId ?? null);
    if (document.activeElement !== listRef.current && !isTab(document.activeElement)) listRef.current?.focus();
  };
  const openTask = (taskId: string | null): void => {
    if (taskId) void navigate({ name: 'task', bundleId, taskId });
  };
  const setFilter = (status: QueueStatus): void => {
    if (status !== q.status) void load(bundleId, status);
  };

  useShortcuts({
    'queue.down': () => move(1),
    'queue.up': () => move(-1),
    'queue.open': () => openTask(q.selectedTaskId),
    'queue.filter': (e) => {
      const d = digitOf(e);
      const tab = d ? TABS[d - 1] : undefined;
      if (tab) setFilter(tab.status);
    },
    'queue.back': () => void navigate({ name: 'bundles' }),
  });

  function onTabKey(event: KeyboardEvent<HTMLButtonElement>, i: number): void {
    let next = -1;
    if (event.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (event.key === 'ArrowLeft') next = (i - 1 + TABS.length) % TABS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = TABS.length - 1;
    if (next < 0) return;
    event.preventDefault();
    const tab = TABS[next];
    if (tab) setFilter(tab.status);
    tabRefs.current[next]?.focus();
  }

  const countOf = (s: QueueStatus): number | null => {
    if (!q.counts) return null;
    return s === 'all' ? totalOf(q.counts) : q.counts[s];
  };
  const activeTab = TABS.findIndex((t) => t.status === q.status);
  const total = q.counts ? totalOf(q.counts) : 0;

  return (
    <main className="page page-wide" id="main" tabIndex={-1}>
      <div className="page-header">
        <div>
          <h1 className="page-title">{bundle?.title ?? bundleId}</h1>
          <p className="muted small">
            <span className="mono">{bundleId}</span>
            {bundle ? <> · version {bundle.version} · signed by {bundle.signer.label}</> : null}
          </p>
        </div>
        <div className="queue-links">
          <button type="button" className="btn btn-small" onClick={() => void navigate({ name: 'assumptions', bundleId })}>
            Search assumptions
          </button>
        </div>
        {q.counts ? (
          <div className="queue-progress">
            <ProgressBar submitted={q.counts.submitted + q.counts.escalated} draft={q.counts.draft} total={total} label="Bundle progress" />
            <span className="muted small">
              {q.counts.submitted + q.counts.escalated} of {total} submitted · {q.counts.draft} in draft
              {q.counts.escalated > 0 ? ` · ${q.counts.escalated} escalated` : ''}
            </span>
          </div>
        ) : null}
      </div>

      <div className="queue-layout">
        <section className="queue-main" aria-label="Task queue">
          <div className="queue-toolbar">
            <div role="tablist" aria-label="Filter by status" className="tabs">
              {TABS.map((t, i) => {
                const n = countOf(t.status);
                return (
                  <button
                    key={t.status}
                    ref={(el) => {
                      tabRefs.current[i] = el;
                    }}
                    id={`tab-${t.status}`}
                    type="button"
                    role="tab"
                    aria-selected={q.status === t.status}
                    aria-controls="queue-panel"
                    tabIndex={q.status === t.status ? 0 : -1}
                    className="tab"
                    title={hint('queue.filter', `Show ${t.label.toLowerCase()}`, String(i + 1))}
                    onClick={() => setFilter(t.status)}
                    onKeyDown={(e) => onTabKey(e, i)}
                  >
                    {t.label}
                    {n !== null ? <span className="tab-count">{n}</span> : null}
                  </button>
                );
              })}
            </div>
            <span className="muted small hide-narrow">
              <ShortcutKbd id="queue.down" /> <ShortcutKbd id="queue.up" /> move · <ShortcutKbd id="queue.open" /> open ·{' '}
              <ShortcutKbd id="queue.back" /> back
            </span>
          </div>
          <div id="queue-panel" role="tabpanel" aria-labelledby={`tab-${TABS[activeTab]?.status ?? 'all'}`}>
            {q.error ? <LoadError error={q.error} what="the queue" /> : null}
            {q.loading && q.items.length === 0 ? <Loading label="Loading tasks…" /> : null}
            <div
              ref={listRef}
              role="listbox"
              aria-label={`Tasks (${TABS[activeTab]?.label ?? 'All'})`}
              tabIndex={0}
              aria-activedescendant={q.selectedTaskId && index >= 0 ? optionId(q.selectedTaskId) : undefined}
              className="queue-list"
            >
              {q.items.map((item) => (
                <div
                  key={item.taskId}
                  id={optionId(item.taskId)}
                  role="option"
                  aria-selected={item.taskId === q.selectedTaskId}
                  className={`queue-row${item.taskId === q.selectedTaskId ? ' is-selected' : ''}`}
                  onClick={() => {
                    select(item.taskId);
                    openTask(item.taskId);
                  }}
                >
                  <span className="queue-pos">{item.position}</span>
                  <KindBadge kind={item.kind} />
                  <span className="queue-title">{item.title}</span>
                  <span className="queue-rev">{item.revision ? `rev ${item.revision}` : ''}</span>
                  <StatusPill status={item.status} />
                </div>
              ))}
              {!q.loading && q.items.length === 0 && !q.error ? (
                <div className="queue-empty" role="presentation">
                  Nothing here. {q.status !== 'all' ? 'Try another filter.' : ''}
                </div>
              ) : null}
            </div>
            {q.items.length < q.total ? (
              <div className="load-more">
                <button type="button" className="btn" onClick={() => void q.loadMore()} disabled={q.loading}>
                  Load more ({q.total - q.items.length} left)
                </button>
              </div>
            ) : null}
          </div>
        </section>
        <aside className="queue-side" aria-label="About this bundle">
          {bundle ? (
            <>
              {bundle.description ? <p className="bundle-desc-long">{bundle.description}</p> : null}
              <details className="guidelines" open>
                <summary>Guidelines</summary>
                <div className="guidelines-body" tabIndex={0} aria-label="Guidelines text">
                  <Markdown text={bundle.guidelines} />
                </div>
              </details>
            </>
          ) : null}
        </aside>
      </div>
    </main>
  );
}

function optionId(taskId: string): string {
  return `task-option-${taskId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function isTab(el: Element | null): boolean {
  return el instanceof HTMLElement && el.getAttribute('role') === 'tab';
}
