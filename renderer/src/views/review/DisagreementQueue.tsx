import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ReviewQueueItem } from '../../../../shared/contract/index.ts';
import type { TaskKind } from '../../../../shared/domain/index.ts';
import { call } from '../../api/client.ts';
import { useQuery } from '../../api/useQuery.ts';
import { useBundles } from '../../state/bundles.ts';
import { navigate, useRouter } from '../../state/router.ts';
import { KindBadge } from '../../components/Badges.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { Loading } from '../../components/Spinner.tsx';
import { disagreementWords } from './disagreement.ts';

const ROW_HEIGHT = 56;
const PAGE = 200;

type Escalation = 'any' | 'open' | 'none';
type Gold = 'any' | 'only' | 'exclude';
type Adjudicated = 'no' | 'yes' | 'stale' | 'any';

const rowId = (i: number): string => `dq-row-${i}`;

/**
 * Tasks with two or more annotators' work, most disagreement first, filterable; only the rows in
 * view are in the DOM (as in the task queue), so a bundle of 100k tasks scrolls as one of ten.
 * j/k or arrows move, Enter opens the adjudication screen.
 */
export function DisagreementQueue({ bundleId, onBundle }: { bundleId: string; onBundle: (id: string) => void }) {
  const bundles = useBundles((s) => s.list);
  const detailOf = useBundles((s) => s.detail);
  const reloadKey = useRouter((s) => s.reloadKey);
  const { result: bundle } = useQuery(bundleId ? () => detailOf(bundleId) : null, [bundleId, detailOf]);
  const [kind, setKind] = useState<TaskKind | ''>('');
  const [criterion, setCriterion] = useState('');
  const [annotatorId, setAnnotatorId] = useState('');
  const [escalation, setEscalation] = useState<Escalation>('any');
  const [gold, setGold] = useState<Gold>('any');
  const [adjudicated, setAdjudicated] = useState<Adjudicated>('no');
  const [limit, setLimit] = useState(PAGE);
  const [selected, setSelected] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);

  const { result: people } = useQuery(bundleId ? () => call('reviews.annotators', { bundleId }) : null, [bundleId, reloadKey]);
  const annotators = people?.annotators ?? [];
  // A chosen annotator who is not in this bundle (after switching bundles) filters nothing out of sight.
  const annotator = annotators.some((a) => a.annotatorId === annotatorId) ? annotatorId : '';
  const filters = { bundleId, ...(kind ? { kind } : {}), ...(criterion ? { criterion } : {}), ...(annotator ? { annotatorId: annotator } : {}), escalation, gold, adjudicated };
  const { result, error } = useQuery(bundleId ? () => call('reviews.queue', { ...filters, offset: 0, limit }) : null, [bundleId, kind, criterion, annotator, escalation, gold, adjudicated, limit, reloadKey]);
  const items = result?.items ?? [];
  const total = result?.total ?? 0;
  // Past the core's cap the count is a floor: "1,000+ tasks", and no set size for assistive tech.
  const capped = result?.totalCapped ?? false;
  const counted = `${total.toLocaleString('en-US')}${capped ? '+' : ''} task${total === 1 && !capped ? '' : 's'}`;
  const index = items.length === 0 ? -1 : Math.min(selected, items.length - 1);

  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => listRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const rows = virtualizer.getVirtualItems();
  const last = rows[rows.length - 1]?.index ?? -1;
  // More rows as the end of what is loaded comes into view.
  useEffect(() => {
    if (last >= items.length - 5 && items.length < total && items.length === limit) setLimit((l) => Math.min(l + PAGE, 500));
  }, [last, items.length, total, limit]);
  useEffect(() => {
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [index, virtualizer]);

  const open = (item: ReviewQueueItem): void => void navigate({ name: 'adjudicate', bundleId: item.bundleId, taskId: item.taskId });
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const move = (d: number): void => {
      e.preventDefault();
      setSelected(Math.max(0, Math.min(items.length - 1, index + d)));
    };
    if (e.key === 'j' || e.key === 'ArrowDown') move(1);
    else if (e.key === 'k' || e.key === 'ArrowUp') move(-1);
    else if (e.key === 'Home') move(-items.length);
    else if (e.key === 'End') move(items.length);
    else if (e.key === 'Enter' && index >= 0 && items[index]) {
      e.preventDefault();
      open(items[index]);
    }
  };

  const criteria = bundle?.rubric.criteria ?? [];
  return (
    <section className="panel dq" aria-labelledby="dq-title">
      <div className="dq-head">
        <h2 className="section-title" id="dq-title">
          Disagreements
        </h2>
        <p className="muted small" role="status">
          {result ? `${counted} with two or more annotators${adjudicated === 'no' ? ' to decide' : ''}` : ''}
        </p>
      </div>
      <div className="review-filters" role="group" aria-label="Disagreement filters">
        <label className="field-inline">
          <span className="field-label">Bundle</span>
          <select className="input" value={bundleId} onChange={(e) => onBundle(e.target.value)}>
            {(bundles ?? []).map((b) => (
              <option key={b.id} value={b.id}>
                {b.title}
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline field-narrow">
          <span className="field-label">Kind</span>
          <select className="input" value={kind} onChange={(e) => setKind(e.target.value as TaskKind | '')}>
            <option value="">All kinds</option>
            <option value="compare">Compare</option>
            <option value="exemplar">Exemplar</option>
            <option value="trajectory">Trajectory</option>
          </select>
        </label>
        <label className="field-inline field-narrow">
          <span className="field-label">Criterion</span>
          <select className="input" value={criterion} onChange={(e) => setCriterion(e.target.value)}>
            <option value="">Any</option>
            {criteria.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline field-narrow">
          <span className="field-label">Annotator</span>
          <select className="input" value={annotator} onChange={(e) => setAnnotatorId(e.target.value)} disabled={annotators.length === 0}>
            <option value="">Anyone</option>
            {annotators.map((a) => (
              <option key={a.annotatorId} value={a.annotatorId}>
                {a.annotatorName}
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline field-narrow">
          <span className="field-label">Escalation</span>
          <select className="input" value={escalation} onChange={(e) => setEscalation(e.target.value as Escalation)}>
            <option value="any">Any</option>
            <option value="open">Open escalation</option>
            <option value="none">None</option>
          </select>
        </label>
        <label className="field-inline field-narrow">
          <span className="field-label">Gold</span>
          <select className="input" value={gold} onChange={(e) => setGold(e.target.value as Gold)}>
            <option value="any">Any</option>
            <option value="only">Gold only</option>
            <option value="exclude">No gold</option>
          </select>
        </label>
        <label className="field-inline field-narrow">
          <span className="field-label">Decided</span>
          <select className="input" value={adjudicated} onChange={(e) => setAdjudicated(e.target.value as Adjudicated)}>
            <option value="no">To decide (new or stale)</option>
            <option value="stale">Stale only</option>
            <option value="yes">Decided</option>
            <option value="any">All</option>
          </select>
        </label>
      </div>
      {error ? <LoadError error={error} what="the disagreement queue" /> : null}
      {!result && !error && bundleId ? <Loading label="Ordering by disagreement…" /> : null}
      {result && items.length === 0 ? (
        // No listbox without options (axe: aria-required-children); a plain note instead.
        <p className="queue-empty">Nothing to decide here. Tasks appear once two or more annotators’ work is on this workstation.</p>
      ) : null}
      {result && items.length > 0 ? (
        <div
          ref={listRef}
          role="listbox"
          aria-label="Tasks by disagreement"
          tabIndex={0}
          className="queue-list dq-list"
          aria-activedescendant={index >= 0 && rows.some((r) => r.index === index) ? rowId(index) : undefined}
          onKeyDown={onKey}
        >
          {
            <div className="queue-virtual" style={{ height: virtualizer.getTotalSize() }}>
              {rows.map((row) => {
                const item = items[row.index]!;
                return (
                  <div
                    key={`${item.taskId}`}
                    id={rowId(row.index)}
                    role="option"
                    aria-selected={row.index === index}
                    aria-setsize={capped ? -1 : total}
                    aria-posinset={row.index + 1}
                    className={`dq-row${row.index === index ? ' is-selected' : ''}`}
                    style={{ height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
                    onClick={() => {
                      setSelected(row.index);
                      open(item);
                    }}
                  >
                    <span className="dq-score tabular" title="Disagreement (0: all agree)">
                      {item.score.toFixed(2)}
                    </span>
                    <span className="dq-main">
                      <span className="dq-title">
                        {item.taskTitle} <KindBadge kind={item.kind} />
                      </span>
                      <span className="muted small">
                        {item.annotators} annotators · {disagreementWords(item)}
                      </span>
                    </span>
                    <span className="dq-flags">
                      {item.openEscalations > 0 ? <span className="severity-badge severity-badge-high">{item.openEscalations} escalated</span> : null}
                      {item.gold ? <span className="chip">Gold</span> : null}
                      {item.adjudication === 'stale' ? <span className="chip chip-warn">Stale decision</span> : null}
                      {item.adjudication === 'current' ? <span className="chip chip-ok">Decided</span> : null}
                      {item.unanimous ? <span className="chip">Unanimous</span> : null}
                    </span>
                  </div>
                );
              })}
            </div>
          }
        </div>
      ) : null}
    </section>
  );
}
