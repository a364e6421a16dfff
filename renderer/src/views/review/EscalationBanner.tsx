import { useReviewContext } from '../../state/reviewContext.ts';
import { useScopeHint } from '../../state/scopeHint.ts';
import { navigate } from '../../state/router.ts';
import { scopeText } from './describe.ts';

/** On a task opened from the escalation queue: the escalation being reviewed, and the way back. */
export function EscalationBanner({ bundleId, taskId }: { bundleId: string; taskId: string }) {
  const item = useReviewContext((s) => s.item);
  const requestStep = useScopeHint((s) => s.requestStep);
  if (!item || item.bundleId !== bundleId || item.taskId !== taskId) return null;
  const stepId = item.scope.type === 'step' ? item.scope.stepId : item.scope.type === 'span' && item.scope.target.startsWith('step:') ? item.scope.target.slice(5) : null;
  return (
    <aside className="escalation-banner" aria-label="Escalation under review">
      <span className={`severity-badge severity-badge-${item.severity}`}>{item.severity}</span>
      <span className="escalation-banner-text">
        <strong>{item.reasonLabel}</strong>, escalated by {item.annotatorName} (revision {item.revision}
        {item.answered ? '' : ', without an answer'}) · {scopeText(item.scope)}
        {item.note ? <span className="escalation-banner-note"> — {item.note}</span> : null}
      </span>
      {stepId ? (
        <button type="button" className="btn btn-small" onClick={() => requestStep(stepId)}>
          Show the step
        </button>
      ) : null}
      <button type="button" className="btn btn-small" onClick={() => void navigate({ name: 'escalations' })}>
        Back to escalations
      </button>
    </aside>
  );
}
