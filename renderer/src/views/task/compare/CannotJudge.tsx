import type { Escalation } from '../../../../../shared/domain/index.ts';
import type { BundleDetail } from '../../../../../shared/contract/index.ts';
import { CANNOT_JUDGE_ESCALATION_ID } from './compareRules.ts';

interface Props {
  bundle: BundleDetail;
  escalation: Escalation | undefined;
  disabled: boolean;
  invalid: boolean;
  onChange: (escalation: Escalation | null) => void;
}

/**
 * "Cannot judge" goes to a reviewer, so it needs a reason: a minimal escalation for the whole task,
 * next to the verdict. Any escalation from the assumptions and escalations panel satisfies it too.
 */
export function CannotJudge({ bundle, escalation, disabled, invalid, onChange }: Props) {
  const reasons = bundle.taxonomy.escalationReasons;
  const set = (reasonId: string, note: string): void => {
    const reason = reasons.find((r) => r.id === reasonId);
    if (!reason) return onChange(null);
    onChange({ id: CANNOT_JUDGE_ESCALATION_ID, reason: reason.id, severity: reason.severity, note, scope: { type: 'task' } });
  };
  const selected = reasons.find((r) => r.id === escalation?.reason);
  return (
    <div className="cannot-judge">
      <div className="field">
        <label htmlFor="escalation-reason" className="field-label">
          Why can’t you judge?
          <span className="required" aria-hidden="true">
            *
          </span>
        </label>
        <select
          id="escalation-reason"
          className={`input${invalid ? ' is-invalid' : ''}`}
          value={escalation?.reason ?? ''}
          disabled={disabled}
          aria-required
          aria-invalid={invalid || undefined}
          onChange={(e) => set(e.target.value, escalation?.note ?? '')}
        >
          <option value="">Choose a reason…</option>
          {reasons.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label} ({r.severity})
            </option>
          ))}
        </select>
        {selected?.description ? <div className="field-hint">{selected.description}</div> : null}
      </div>
      <div className="field">
        <label htmlFor="escalation-note" className="field-label">
          Note for the reviewer
        </label>
        <textarea
          id="escalation-note"
          className="input textarea textarea-small"
          value={escalation?.note ?? ''}
          readOnly={disabled || !escalation}
          rows={2}
          onChange={(e) => escalation && set(escalation.reason, e.target.value)}
          placeholder={escalation ? 'What would you need to decide?' : 'Choose a reason first'}
        />
      </div>
      <p className="field-hint">This task will go to a reviewer’s queue.</p>
    </div>
  );
}
