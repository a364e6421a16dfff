import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { AssumptionHit } from '../../../../shared/contract/index.ts';
import { call } from '../../api/client.ts';
import { useQuery } from '../../api/useQuery.ts';
import { useBundles } from '../../state/bundles.ts';
import { navigate, useRouter } from '../../state/router.ts';
import { useShortcuts } from '../../keyboard/manager.ts';
import { ShortcutKbd } from '../../components/Kbd.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { useRowSelection } from './useRowSelection.ts';
import { scopeText } from './describe.ts';

const SEARCH_DEBOUNCE_MS = 200;
const hitDomId = (h: AssumptionHit, i: number): string => `hit-${i}-${h.annotationId}`.replace(/[^A-Za-z0-9_-]/g, '_');

/** Marks the query's words in a hit so it is clear why it matched. */
function marked(text: string, words: readonly string[]): ReactNode {
  if (words.length === 0) return text;
  const pattern = new RegExp(`(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'gi');
  return text.split(pattern).map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part));
}

/**
 * Every assumption recorded in a bundle, searchable by words and category, so that a recurring
 * assumption ("the patient is not pregnant") can be found across tasks and become a guideline.
 */
export function AssumptionSearchView({ bundleId }: { bundleId: string }) {
  const detailOf = useBundles((s) => s.detail);
  const reloadKey = useRouter((s) => s.reloadKey);
  const { result: bundle } = useQuery(() => detailOf(bundleId), [bundleId, detailOf]);
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);

  const { result, error } = useQuery(
    () => call('assumptions.search', { bundleId, query: query.trim(), ...(category ? { category } : {}), limit: 200 }),
    [bundleId, query, category, reloadKey],
    SEARCH_DEBOUNCE_MS,
  );

  const open = useCallback((h: AssumptionHit) => void navigate({ name: 'task', bundleId: h.bundleId, taskId: h.taskId }), []);
  const hits = result?.hits ?? [];
  const { index: selIndex, setSelected, listRef, activeId } = useRowSelection(hits, open, hitDomId);
  // On open, focus is on the results (j/k and Enter work at once), not in the search field: there
  // `/` (the shortcut that goes to the field) typed itself and the search found nothing.
  useEffect(() => {
    listRef.current?.focus();
  }, [listRef]);
  useShortcuts({
    'review.search': () => {
      searchRef.current?.focus();
      searchRef.current?.select();
    },
  });

  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const taskCount = new Set(hits.map((h) => h.taskId)).size;
  const categoryLabel = (id: string): string => bundle?.taxonomy.assumptionCategories.find((c) => c.id === id)?.label ?? id;

  return (
    <main className="page page-wide" id="main" tabIndex={-1}>
      <div className="page-header">
        <div>
          <h1 className="page-title">Assumptions</h1>
          <p className="muted">
            What annotators assumed to judge the tasks of <strong>{bundle?.title ?? bundleId}</strong>. Recurring assumptions are
            candidates for the guidelines.
          </p>
        </div>
        <button type="button" className="btn btn-small" onClick={() => void navigate({ name: 'queue', bundleId })}>
          Back to the queue
        </button>
      </div>
      <form className="review-filters" role="search" aria-label="Search assumptions" onSubmit={(e) => {
        e.preventDefault();
        // Enter moves to the results (which may still be arriving) so j/k and Enter work on them.
        listRef.current?.focus();
      }}>
        <label className="field-inline field-grow">
          <span className="field-label">
            Words <ShortcutKbd id="review.search" />
          </span>
          <input
            ref={searchRef}
            type="search"
            className="input"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="e.g. not pregnant"
            maxLength={200}
          />
        </label>
        <label className="field-inline">
          <span className="field-label">Category</span>
          <select className="input" value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All categories</option>
            {(bundle?.taxonomy.assumptionCategories ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      <p className="muted small" role="status" aria-live="polite">
        {result ? `${result.total} assumption${result.total === 1 ? '' : 's'} in ${taskCount} task${taskCount === 1 ? '' : 's'}` : 'Searching…'}
        {result && result.total > hits.length ? ` (showing the first ${hits.length})` : ''}
      </p>
      {error ? <LoadError error={error} what="the assumptions" /> : null}
      <div
        ref={listRef}
        // Not an empty listbox (a listbox must own options: axe's aria-required-children), but the
        // same element, so focus sent to the list while results arrive still lands.
        {...(hits.length > 0 ? { role: 'listbox', 'aria-label': 'Matching assumptions', 'aria-activedescendant': activeId } : {})}
        tabIndex={0}
        className="review-list"
      >
        {hits.map((h, i) => (
          <div
            key={hitDomId(h, i)}
            id={hitDomId(h, i)}
            role="option"
            aria-selected={i === selIndex}
            className={`review-row${i === selIndex ? ' is-selected' : ''}`}
            onClick={() => {
              setSelected(i);
              open(h);
            }}
          >
            <span className="chip">{h.categoryLabel || categoryLabel(h.category)}</span>
            <span className="review-row-main">
              <span className="review-note">{marked(h.text, words)}</span>
              <span className="review-meta muted small">
                <span className="review-task">{h.taskTitle}</span> · {scopeText(h.scope)} · {h.annotatorName} · {h.status}
              </span>
            </span>
          </div>
        ))}
        {result && hits.length === 0 ? <p className="queue-empty">No assumption matches{query ? ` “${query}”` : ''}.</p> : null}
      </div>
    </main>
  );
}
