import { call } from '../../../api/client.ts';
import { useQuery } from '../../../api/useQuery.ts';

/**
 * Calibration feedback on a gold item: once submitted, the reference answer beside the
 * annotator's (tasks.goldFeedback). Shows nothing on other tasks, before submission, or where
 * the bundle is a blind test set.
 */
export function GoldFeedback({ bundleId, taskId, revision }: { bundleId: string; taskId: string; revision: number | null }) {
  const { result } = useQuery(() => call('tasks.goldFeedback', { bundleId, taskId }), [bundleId, taskId, revision]);
  if (!result || !result.available || result.lines.length === 0) return null;
  return (
    <section className="gold-feedback" aria-labelledby="gold-feedback-title">
      <h3 className="gold-feedback-title" id="gold-feedback-title">
        Calibration item: the reference answer
      </h3>
      <table className="gold-feedback-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">What</span>
            </th>
            <th scope="col">Reference</th>
            <th scope="col">Yours</th>
          </tr>
        </thead>
        <tbody>
          {result.lines.map((l) => (
            <tr key={l.label} className={l.match ? 'is-match' : 'is-miss'}>
              <th scope="row">{l.label}</th>
              <td className="gold-feedback-text">{l.reference}</td>
              <td className="gold-feedback-text">
                {l.yours} <span className="gold-feedback-verdict">{l.match ? '— matches' : '— differs'}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.note ? <p className="muted small">{result.note}</p> : null}
    </section>
  );
}
