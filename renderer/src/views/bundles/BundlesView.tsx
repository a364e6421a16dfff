import { useEffect, useRef, useState } from 'react';
import type { BundleSummary } from '../../../../shared/contract/index.ts';
import { client } from '../../api/client.ts';
import { useBundles } from '../../state/bundles.ts';
import { navigate, useRouter } from '../../state/router.ts';
import { useShortcuts } from '../../keyboard/manager.ts';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { Loading } from '../../components/Spinner.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { ShortcutKbd } from '../../components/Kbd.tsx';

/** High-severity escalations stand out on the card; others are just counted. */
function EscalationMarker({ summary }: { summary: BundleSummary }) {
  const { total, highSeverity } = summary.escalations;
  if (total === 0) return null;
  if (highSeverity > 0)
    return (
      <span className="badge badge-danger escalation-marker" title="High or critical severity escalations on the latest revisions">
        <span aria-hidden="true">▲</span> {highSeverity} high-severity escalation{highSeverity === 1 ? '' : 's'}
      </span>
    );
  return (
    <span className="badge escalation-marker">
      {total} escalation{total === 1 ? '' : 's'}
    </span>
  );
}

const KIND_LABEL: Record<string, string> = { compare: 'compare', exemplar: 'exemplar', trajectory: 'trajectory' };

export function BundlesView() {
  const { list, listError, loadList } = useBundles();
  const reloadKey = useRouter((s) => s.reloadKey);
  const [selected, setSelected] = useState(0);
  const cardRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    void loadList();
  }, [loadList, reloadKey]);

  useEffect(() => client.subscribe((e) => e.type === 'bundles.changed' && void loadList()), [loadList]);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const open = (b: BundleSummary | undefined): void => {
    if (b) void navigate({ name: 'queue', bundleId: b.id });
  };
  const move = (delta: number): void => {
    if (!list || list.length === 0) return;
    const onCard = cardRefs.current.some((el) => el !== null && el === document.activeElement);
    const next = onCard ? Math.max(0, Math.min(list.length - 1, selected + delta)) : Math.min(selected, list.length - 1);
    setSelected(next);
    cardRefs.current[next]?.focus();
  };

  useShortcuts({
    'bundles.down': () => move(1),
    'bundles.up': () => move(-1),
    'bundles.open': () => open(list?.[selected]),
  });

  return (
    <main className="page" id="main" tabIndex={-1}>
      <div className="page-header">
        <div>
          <h1 className="page-title" ref={headingRef} tabIndex={-1}>
            Bundles
          </h1>
          <p className="muted">Task bundles installed on this workstation, with your progress.</p>
        </div>
        <p className="muted small page-header-hint">
          <ShortcutKbd id="bundles.down" /> <ShortcutKbd id="bundles.up" /> to move, <ShortcutKbd id="bundles.open" /> to open
        </p>
      </div>
      {listError && !list ? <LoadError error={listError} what="the bundles" /> : null}
      {!list && !listError ? <Loading label="Loading bundles…" /> : null}
      {list && list.length === 0 ? (
        <div className="panel empty">
          <h2 className="section-title">No bundles installed</h2>
          <p className="muted">Import a bundle your admin sent you to start annotating.</p>
        </div>
      ) : null}
      {list && list.length > 0 ? (
        <ul className="bundle-list" aria-label="Installed bundles">
          {list.map((b, i) => (
            <li key={b.id}>
              <button
                type="button"
                ref={(el) => {
                  cardRefs.current[i] = el;
                }}
                className={`bundle-card${i === selected ? ' is-selected' : ''}`}
                onClick={() => open(b)}
                onFocus={() => setSelected(i)}
                aria-describedby={`bundle-${i}-progress`}
              >
                <span className="bundle-card-main">
                  <span className="bundle-card-top">
                    <span className="bundle-title">{b.title}</span>
                    {b.sample ? <span className="badge badge-accent">Sample</span> : null}
                    <span className="badge">v{b.version}</span>
                    <EscalationMarker summary={b} />
                  </span>
                  {b.description ? <span className="bundle-desc">{b.description}</span> : null}
                  <span className="bundle-meta">
                    <span className="mono">{b.id}</span>
                    <span aria-hidden="true">·</span>
                    <span>Signed by {b.signer.label}</span>
                  </span>
                  <span className="bundle-kinds">
                    {Object.entries(b.kinds).map(([kind, n]) => (
                      <span key={kind} className={`kind-chip kind-${kind}`}>
                        {n} {KIND_LABEL[kind] ?? kind}
                      </span>
                    ))}
                  </span>
                </span>
                <span className="bundle-progress">
                  <span className="bundle-progress-figure" aria-hidden="true">
                    <span className="bundle-progress-done">{b.counts.submitted + b.counts.escalated}</span>
                    <span className="muted"> / {b.taskCount}</span>
                  </span>
                  <ProgressBar
                    submitted={b.counts.submitted + b.counts.escalated}
                    draft={b.counts.draft}
                    total={b.taskCount}
                    label={`Progress of ${b.title}`}
                  />
                  <span className="bundle-progress-text" id={`bundle-${i}-progress`}>
                    {b.counts.submitted + b.counts.escalated} of {b.taskCount} submitted
                    {b.counts.draft > 0 ? <span className="draft-count"> · {b.counts.draft} in draft</span> : null}
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </main>
  );
}
