import type { RevisionSummary } from '../../../../../shared/contract/index.ts';
import { formatDuration } from '../../../state/activeTime.ts';

const when = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Every revision of this task by this user, newest first. */
export function History({ history }: { history: readonly RevisionSummary[] }) {
  if (history.length === 0) return null;
  const items = [...history].sort((a, b) => b.revision - a.revision);
  return (
    <section className="history" aria-labelledby="history-title">
      <h2 id="history-title" className="side-title">
        History
      </h2>
      <ol className="history-list">
        {items.map((r) => (
          <li key={r.id} className="history-item">
            <span className="history-rev">Revision {r.revision}</span>
            <span className={`history-status status-text-${r.status}`}>
              {r.status === 'submitted' && r.submittedAt ? `Submitted ${when(r.submittedAt)}` : `Draft, updated ${when(r.updatedAt)}`}
            </span>
            <span className="muted small">{formatDuration(r.activeMs)} active</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
