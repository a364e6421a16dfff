import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { QueueStatus, StatusCounts } from '../../../../shared/contract/index.ts';
import { useQuery } from '../../api/useQuery.ts';
import { itemAt, useQueue } from '../../state/queue.ts';
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
  const { result: bundle } = useQuery(() => detailOf(bundleId), [bundleId, detailOf, reloadKey]);
  const listRef = useRef<HTMLDivElement>(null);
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const { load, select, selectIndex, ensureRange } = q;

  useEffect(() => {
    void load(bundleId);
  }, [bundleId, load, reloadKey]);


  useEffect(() => {
    listRef.current?.focus();
  }, []);

  // Only the rows in view (and a few around them) are in the DOM; pages load as they come into view.
  // The virtualizer hands back fresh functions each render, so the compiler leaves this component alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: q.total,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => itemAt(q.pages, i)?.taskId ?? `row-${i}`,
  });
  const rows = virtualizer.getVirtualItems();
  const firstRow = rows[0]?.index ?? 0;
  const lastRow = rows[rows.length - 1]?.index ?? -1;
  useEffect(() => {
    if (lastRow >= 0) ensureRange(firstRow, lastRow);
  }, [firstRow, lastRow, ensureRange, q.pages]);

  // Keep the highlighted row in view.
  const index = q.total > 0 ? Math.min(q.selectedIndex, q.total - 1) : -1;
  useEffect(() => {
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [index, virtualizer]);

  const pageRows = (): number => Math.max(1, Math.floor((listRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
  const move = (delta: number): void => {
    if (q.total === 0) return;
    selectIndex((index < 0 ? 0 : index) + delta);
    if (document.activeElement !== listRef.current && !isTab(document.activeElement)) listRef.current?.focus();
  };
  function onListKey(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    let to: number | null = null;
    if (event.key === 'Home') to = 0;
    else if (event.key === 'End') to = q.total - 1;
    else if (event.key === 'PageDown') to = index + pageRows();
    else if (event.key === 'PageUp') to = index - pageRows();
    if (to === null || q.total === 0) return;
    event.preventDefault();
    selectIndex(to);
  }
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
            {q.loading && q.total === 0 ? <Loading label="Loading tasks…" /> : null}
            <div
              ref={listRef}
              // An empty tab is not an empty listbox (a listbox must own options: axe's
              // aria-required-children); it is the note below, until there are tasks.
              {...(q.total > 0
                ? {
                    role: 'listbox',
                    'aria-label': `Tasks (${TABS[activeTab]?.label ?? 'All'})`,
                    'aria-activedescendant': index >= 0 && rows.some((r) => r.index === index) ? rowId(index) : undefined,
                  }
                : {})}
              tabIndex={0}
              className="queue-list"
              onKeyDown={onListKey}
            >
              {q.total > 0 ? (
                <div className="queue-virtual" style={{ height: virtualizer.getTotalSize() }}>
                  {rows.map((row) => {
                    const item = itemAt(q.pages, row.index);
                    const selected = row.index === index;
                    const common = {
                      id: rowId(row.index),
                      role: 'option',
                      'aria-selected': selected,
                      'aria-setsize': q.total,
                      'aria-posinset': row.index + 1,
                      'data-index': row.index,
                      style: { height: ROW_HEIGHT, transform: `translateY(${row.start}px)` },
                    } as const;
                    if (!item) {
                      return (
                        <div key={row.key} {...common} aria-busy="true" className={`queue-row queue-row-loading${selected ? ' is-selected' : ''}`}>
                          <span className="queue-pos">{row.index + 1}</span>
                          <span className="queue-title muted">Loading…</span>
                        </div>
                      );
                    }
                    return (
                      <div
                        key={row.key}
                        {...common}
                        className={`queue-row${selected ? ' is-selected' : ''}`}
                        onClick={() => {
                          selectIndex(row.index);
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
                    );
                  })}
                </div>
              ) : null}
              {!q.loading && q.total === 0 && !q.error ? (
                <div className="queue-empty" role="presentation">
                  Nothing here. {q.status !== 'all' ? 'Try another filter.' : ''}
                </div>
              ) : null}
            </div>
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

/** Every row is this tall (titles stay on one line), so positions are exact without measuring. */
const ROW_HEIGHT = 42;

function rowId(index: number): string {
  return `queue-row-${index}`;
}

function isTab(el: Element | null): boolean {
  return el instanceof HTMLElement && el.getAttribute('role') === 'tab';
}
