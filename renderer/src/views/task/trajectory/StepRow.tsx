import { memo, useEffect, useRef } from 'react';
import type { Step, StepLabel, StepVerdict } from '../../../../../shared/domain/index.ts';
import type { BundleDetail } from '../../../../../shared/contract/index.ts';
import { Kbd, ShortcutKbd } from '../../../components/Kbd.tsx';
import { TextField } from '../../../components/Field.tsx';
import { StepContent } from './StepContent.tsx';
import { VERDICTS, VERDICT_LABEL, stepText } from './trajectoryRules.ts';
import type { StepNotes } from './notesPerStep.ts';

export type FocusField = 'row' | 'note' | 'corrected' | 'errorTypes';
export interface FocusRequest {
  stepId: string;
  field: FocusField;
  seq: number;
}

/** Stable callbacks (the rows are memoised; only rows whose props change re-render). */
export interface RowActions {
  select: (index: number) => void;
  verdict: (stepId: string, verdict: StepVerdict) => void;
  toggleErrorType: (stepId: string, errorType: string) => void;
  note: (stepId: string, note: string) => void;
  corrected: (stepId: string, corrected: string | null) => void;
  setCorrection: (stepId: string, corrected: string | null) => void;
  fold: (stepId: string) => void;
  firstError: (stepId: string) => void;
}

const TYPE_LABEL: Record<Step['type'], string> = { message: 'Message', thought: 'Thought', tool_call: 'Tool call', tool_result: 'Tool result' };
const ROLE_LABEL: Record<string, string> = { user: 'User', assistant: 'Assistant', system: 'System' };

export const rowId = (index: number): string => `traj-step-${index}`;

interface Props {
  step: Step;
  index: number;
  total: number;
  label: StepLabel | undefined;
  current: boolean;
  isFirstError: boolean;
  unfolded: boolean;
  locked: boolean;
  errorTypes: BundleDetail['taxonomy']['errorTypes'];
  /** Step number of the call this result answers (matched by callId). */
  callStepNo: number | null;
  focus: FocusRequest | null;
  /** Assumptions and escalations recorded about this step. */
  notes: StepNotes | null;
  actions: RowActions;
}

/** One step of the run with its label: content, verdict, and (when current or filled in) the details. */
export const StepRow = memo(function StepRow({ step, index, total, label, current, isFirstError, unfolded, locked, errorTypes, callStepNo, focus, notes, actions }: Props) {
  const rowRef = useRef<HTMLDivElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const correctedRef = useRef<HTMLTextAreaElement>(null);
  const typesRef = useRef<HTMLFieldSetElement>(null);
  const stepNo = index + 1;
  const verdict = label?.verdict ?? null;
  const faulty = verdict !== null && verdict !== 'good';
  const toolError = step.type === 'tool_result' && step.isError === true;

  useEffect(() => {
    if (!focus || focus.stepId !== step.id) return;
    const el =
      focus.field === 'note'
        ? noteRef.current
        : focus.field === 'corrected'
          ? correctedRef.current
          : focus.field === 'errorTypes'
            ? typesRef.current?.querySelector<HTMLInputElement>('input')
            : rowRef.current;
    el?.focus({ preventScroll: focus.field === 'row' });
  }, [focus, step.id]);

  const showDetails = current || faulty || (label?.note ?? '') !== '' || label?.corrected != null;
  const headingId = `${rowId(index)}-head`;

  return (
    <div
      ref={rowRef}
      id={rowId(index)}
      role="article"
      aria-posinset={stepNo}
      aria-setsize={total}
      aria-labelledby={headingId}
      aria-current={current ? 'step' : undefined}
      tabIndex={current ? 0 : -1}
      className={`traj-step step-${step.type}${current ? ' is-current' : ''}${verdict ? ` verdict-${verdict}` : ''}${isFirstError ? ' is-first-error' : ''}`}
      onClick={() => !current && actions.select(index)}
      onFocus={(e) => {
        if (!current && e.currentTarget.contains(e.target)) actions.select(index);
      }}
      // Escape inside a step (a field, a checkbox) comes back to the step, so j/k carry on;
      // Escape on the step itself does nothing: Esc never leaves a task (g q does).
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.target === rowRef.current) return;
        e.preventDefault();
        rowRef.current?.focus({ preventScroll: true });
      }}
    >
      <div className="traj-marker" aria-hidden="true">
        {stepNo}
      </div>
      <div className="traj-body">
        <div className="traj-head">
          <span id={headingId} className="traj-type">
            <span className="sr-only">Step {stepNo}: </span>
            {TYPE_LABEL[step.type]}
            {step.type === 'message' ? <span className="muted"> · {ROLE_LABEL[step.role] ?? step.role}</span> : null}
            <span className="sr-only">{verdict ? `, marked ${VERDICT_LABEL[verdict]}` : ', no verdict yet'}</span>
          </span>
          {step.type === 'tool_call' || (step.type === 'tool_result' && step.tool) ? <code className="step-tool">{step.tool}</code> : null}
          {step.type === 'tool_result' && callStepNo !== null ? <span className="muted small">answers step {callStepNo}</span> : null}
          {toolError ? <span className="badge badge-danger">tool error</span> : null}
          {isFirstError ? <span className="badge first-error-badge">First error</span> : null}
          {notes && notes.assumptions > 0 ? (
            <span className="badge badge-accent">
              {notes.assumptions} assumption{notes.assumptions === 1 ? '' : 's'}
            </span>
          ) : null}
          {notes && notes.escalations > 0 ? (
            <span className="badge badge-danger">
              {notes.escalations} escalation{notes.escalations === 1 ? '' : 's'}
            </span>
          ) : null}
          <span className="step-id mono" title="Step id">
            {step.id}
          </span>
        </div>

        <StepContent step={step} stepNo={stepNo} unfolded={unfolded} onFold={() => actions.fold(step.id)} />

        <div className="traj-label">
          <div role="radiogroup" aria-label={`Verdict for step ${stepNo}`} aria-disabled={locked || undefined} className="verdicts">
            {VERDICTS.map((v, i) => (
              <label key={v} className={`verdict-option verdict-option-${v}`} title={`${VERDICT_LABEL[v]} (${i + 1})`}>
                <input
                  type="radio"
                  name={`verdict-${step.id}`}
                  value={v}
                  checked={verdict === v}
                  disabled={locked}
                  onChange={() => actions.verdict(step.id, v)}
                />
                <span className="verdict-face">
                  {VERDICT_LABEL[v]}
                  {current ? <kbd className="kbd">{i + 1}</kbd> : null}
                </span>
              </label>
            ))}
          </div>
          {current && !locked ? (
            <button type="button" className={`btn btn-ghost btn-small${isFirstError ? ' is-on' : ''}`} aria-pressed={isFirstError} onClick={() => actions.firstError(step.id)}>
              First error <Kbd keys="f" />
            </button>
          ) : null}
        </div>

        {showDetails ? (
          <div className="traj-details">
            {faulty && errorTypes.length > 0 ? (
              <fieldset className="error-types" ref={typesRef} disabled={locked}>
                <legend className="field-label">
                  Error types {current ? <ShortcutKbd id="trajectory.errorTypes" /> : null}
                </legend>
                <div className="chips">
                  {errorTypes.map((t) => {
                    const on = label?.errorTypes.includes(t.id) ?? false;
                    // Elsewhere (and on submitted work) only the chosen types are shown.
                    if ((!current || locked) && !on) return null;
                    return (
                      <label key={t.id} className={`chip-toggle${on ? ' is-on' : ''}`} title={t.description}>
                        <input type="checkbox" checked={on} onChange={() => actions.toggleErrorType(step.id, t.id)} />
                        {t.label}
                      </label>
                    );
                  })}
                </div>
              </fieldset>
            ) : null}
            {current && !locked ? (
              <TextField
                inputRef={noteRef}
                id={`${rowId(index)}-note`}
                label={`Note on step ${stepNo}`}
                shortcut="trajectory.note"
                inputClassName="textarea-small"
                rows={1}
                value={label?.note ?? ''}
                onChange={(note) => actions.note(step.id, note)}
                placeholder="Why this verdict? (optional)"
              />
            ) : label?.note ? (
              <p className="traj-note">
                <span className="field-label">Note:</span> {label.note}
              </p>
            ) : null}
            {label?.corrected != null ? (
              current && !locked ? (
                <div className="field corrected-field">
                  <div className="field-label corrected-label">
                    <label htmlFor={`${rowId(index)}-corrected`}>Corrected step {stepNo}: what the agent should have done</label>
                    <span className="row gap-small">
                      <button type="button" className="btn btn-ghost btn-small" onClick={() => actions.setCorrection(step.id, stepText(step))}>
                        Start from original
                      </button>
                      <button type="button" className="btn btn-ghost btn-small" onClick={() => actions.setCorrection(step.id, null)}>
                        Remove correction
                      </button>
                    </span>
                  </div>
                  <textarea
                    ref={correctedRef}
                    id={`${rowId(index)}-corrected`}
                    className="input textarea corrected-editor mono"
                    rows={Math.min(12, Math.max(3, label.corrected.split('\n').length + 1))}
                    value={label.corrected}
                    spellCheck={step.type !== 'tool_call'}
                    onChange={(e) => actions.corrected(step.id, e.target.value)}
                    placeholder={step.type === 'tool_call' ? '{"tool": "…", "arguments": {…}}' : 'The step as it should have been'}
                  />
                  <JsonHint step={step} text={label.corrected} />
                </div>
              ) : (
                <div className="traj-corrected">
                  <span className="field-label">Corrected step:</span>
                  <pre className="code-block">{label.corrected || '(empty)'}</pre>
                </div>
              )
            ) : current && !locked ? (
              <button type="button" className="btn btn-small btn-start" onClick={() => actions.setCorrection(step.id, '')}>
                Write corrected step <Kbd keys="w" />
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
});

/** A corrected tool call is meant to be JSON; say so (without blocking) when it does not parse. */
function JsonHint({ step, text }: { step: Step; text: string }) {
  if (step.type !== 'tool_call' || text.trim() === '') return null;
  return parsesAsJson(text) ? (
    <div className="field-hint">Valid JSON.</div>
  ) : (
    <div className="field-hint hint-warning">Not valid JSON yet (a corrected tool call is usually {'{"tool", "arguments"}'}).</div>
  );
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
