import { useState } from 'react';
import type { Response } from '../../../../shared/contract/index.ts';
import { call, errorMessage } from '../../api/client.ts';
import { useQuery } from '../../api/useQuery.ts';
import { useRouter } from '../../state/router.ts';
import { KindBadge } from '../../components/Badges.tsx';
import { answerSummary } from './answerSummary.ts';

type Accepted = Response<'reviews.bulkAccept'>;

/**
 * Tasks where every annotator gave the same answer, listed with that answer before anything is
 * accepted; the reviewer accepts them all at once with one recorded reason.
 */
export function BulkAccept({ bundleId }: { bundleId: string }) {
  const reloadKey = useRouter((s) => s.reloadKey);
  const reload = useRouter((s) => s.reload);
  const [open, setOpen] = useState(false);
  const [rationale, setRationale] = useState('Unanimous: every annotator gave this answer.');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Accepted | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { result } = useQuery(() => call('reviews.bulkAcceptPreview', { bundleId, limit: 200 }), [bundleId, reloadKey]);
  const items = result?.items ?? [];

  const accept = async (): Promise<void> => {
    if (items.length === 0 || busy) return;
    setBusy(true);
    setError(null);
    try {
      setDone(await call('reviews.bulkAccept', { bundleId, taskIds: items.map((i) => i.taskId), rationale }));
      setOpen(false);
      reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel bulk" aria-labelledby="bulk-title">
      <div className="dq-head">
        <h2 className="section-title" id="bulk-title">
          Unanimous tasks
        </h2>
        <button type="button" className="btn btn-small" aria-expanded={open} onClick={() => setOpen((o) => !o)} disabled={items.length === 0}>
          {items.length === 0 ? 'None to accept' : open ? 'Hide the preview' : `Preview ${result && result.total > items.length ? `${items.length} of ${result.total}` : items.length} to accept`}
        </button>
      </div>
      <div role="status" className="small">
        {done ? `Accepted ${done.accepted.length} unanimous answer${done.accepted.length === 1 ? '' : 's'}${done.skipped.length > 0 ? `; ${done.skipped.length} skipped` : ''}.` : ''}
      </div>
      {done && done.skipped.length > 0 ? (
        <ul className="issues small">
          {done.skipped.map((s) => (
            <li key={s.taskId}>
              <span className="mono">{s.taskId}</span>: {s.reason}
            </li>
          ))}
        </ul>
      ) : null}
      {open ? (
        <>
          <table className="review-table">
            <caption className="sr-only">Unanimous answers to accept</caption>
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Annotators</th>
                <th scope="col">Their answer</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.taskId}>
                  <td>
                    {i.taskTitle} <KindBadge kind={i.kind} />
                  </td>
                  <td className="tabular">{i.annotators}</td>
                  <td>{answerSummary(i.answer)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <label className="field">
            <span className="field-label">Reason recorded with each decision</span>
            <input className="input" value={rationale} onChange={(e) => setRationale(e.target.value)} maxLength={2000} />
          </label>
          {error ? (
            <div className="alert alert-error" role="alert">
              {error}
            </div>
          ) : null}
          <button type="button" className="btn btn-primary" onClick={() => void accept()} disabled={busy || !rationale.trim()}>
            {busy ? 'Accepting…' : `Accept ${items.length} unanimous answer${items.length === 1 ? '' : 's'}`}
          </button>
        </>
      ) : null}
    </section>
  );
}
