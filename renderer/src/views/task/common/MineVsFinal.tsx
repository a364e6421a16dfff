import { call } from '../../../api/client.ts';
import { useQuery } from '../../../api/useQuery.ts';
import { useRouter } from '../../../state/router.ts';
import { answerSummary } from '../../review/answerSummary.ts';

/**
 * On the annotator's own task, once a reviewer's decision has reached this workstation: their
 * answer beside the final one, with the reviewer's reason, so experts calibrate across cycles.
 */
export function MineVsFinal({ bundleId, taskId, status }: { bundleId: string; taskId: string; status: string }) {
  const reloadKey = useRouter((s) => s.reloadKey);
  // Only submitted work can have been decided on.
  const submitted = status === 'submitted' || status === 'escalated';
  const { result } = useQuery(submitted ? () => call('tasks.final', { bundleId, taskId }) : null, [bundleId, taskId, submitted, reloadKey]);
  const final = result?.final;
  if (!result || !final) return null;
  return (
    <aside className={`mine-final${final.sameAsMine ? ' is-same' : ''}`} aria-label="The final answer">
      <div className="mine-final-row">
        <strong>Final answer</strong> ({final.method === 'unanimous' ? 'unanimous' : `decided by ${final.reviewerName}`}): {answerSummary(final.answer)}
        {final.sameAsMine ? <span className="chip chip-ok">Same as yours</span> : <span className="chip chip-warn">Differs from yours</span>}
      </div>
      {result.mine ? (
        <div className="mine-final-row muted small">
          Yours (revision {result.mine.revision}): {answerSummary(result.mine.answer)}
          {final.basedOnMine ? '' : ' · decided before this revision of yours'}
        </div>
      ) : null}
      <div className="mine-final-row small">
        <span className="muted">Reviewer’s reason:</span> {final.rationale}
      </div>
    </aside>
  );
}
