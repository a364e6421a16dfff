import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Assumption, Escalation, Scope, Severity } from '../../../../../shared/domain/index.ts';
import type { BundleDetail } from '../../../../../shared/contract/index.ts';
import { Kbd } from '../../../components/Kbd.tsx';
import { TextField } from '../../../components/Field.tsx';
import { responseLetter } from '../../../keyboard/registry.ts';
import { describeScope, newId, type PublicTask, type SpanScope } from './scope.ts';

export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

export type NoteDraft =
  | { kind: 'assumption'; value: Assumption; isNew: boolean }
  | { kind: 'escalation'; value: Escalation; isNew: boolean };

interface Props {
  draft: NoteDraft;
  task: PublicTask;
  bundle: BundleDetail;
  displayOrder: readonly string[];
  /** Highlighted text captured when the form opened. */
  span: SpanScope | null;
  /** The step the workspace is on, proposed as "this step". */
  currentStepId: string | null;
  onSave: (draft: NoteDraft) => void;
  onCancel: () => void;
}

/** Encodes a scope as a <select> value; steps other than the current one use the number field. */
function scopeKey(scope: Scope): string {
  if (scope.type === 'response') return `response:${scope.responseId}`;
  return scope.type;
}

/** Adds or edits one assumption or escalation. Mod+Enter saves, Escape cancels. */
export function NoteForm({ draft, task, bundle, displayOrder, span, currentStepId, onSave, onCancel }: Props) {
  const id = useId();
  const firstRef = useRef<HTMLSelectElement>(null);
  const [value, setValue] = useState(draft.value);
  const [stepNo, setStepNo] = useState<string>(() => {
    const sid = draft.value.scope.type === 'step' ? draft.value.scope.stepId : currentStepId;
    const i = task.kind === 'trajectory' ? task.steps.findIndex((s) => s.id === sid) : -1;
    return i >= 0 ? String(i + 1) : '';
  });
  const [error, setError] = useState<string | null>(null);
  const spanScope = draft.value.scope.type === 'span' ? draft.value.scope : span;

  useEffect(() => {
    firstRef.current?.focus();
  }, []);

  const steps = task.kind === 'trajectory' ? task.steps : [];
  const scopeOptions: Array<{ key: string; label: string }> = [{ key: 'task', label: 'Whole task' }];
  if (task.kind === 'compare') displayOrder.forEach((rid, i) => scopeOptions.push({ key: `response:${rid}`, label: `Response ${responseLetter(i)}` }));
  if (task.kind === 'trajectory') scopeOptions.push({ key: 'step', label: 'One step' });
  if (spanScope) scopeOptions.push({ key: 'span', label: `Highlighted text: ${describeScope(spanScope, task, displayOrder)}` });

  const setScopeKey = (key: string): void => {
    let scope: Scope = { type: 'task' };
    if (key.startsWith('response:')) scope = { type: 'response', responseId: key.slice('response:'.length) };
    else if (key === 'step') {
      const s = steps[Number(stepNo) - 1] ?? steps.find((x) => x.id === currentStepId) ?? steps[0];
      if (s) scope = { type: 'step', stepId: s.id };
      if (s && stepNo === '') setStepNo(String(steps.indexOf(s) + 1));
    } else if (key === 'span' && spanScope) scope = spanScope;
    setValue((v) => ({ ...v, scope }));
  };

  const save = (): void => {
    let scope = value.scope;
    if (scope.type === 'step') {
      const s = steps[Number(stepNo) - 1];
      if (!s) return setError(`Enter a step number from 1 to ${steps.length}`);
      scope = { type: 'step', stepId: s.id };
    }
    if (draft.kind === 'assumption') {
      const v = value as Assumption;
      if (!v.category) return setError('Choose a category');
      if (v.text.trim() === '') return setError('Say what you assumed');
      onSave({ kind: 'assumption', isNew: draft.isNew, value: { ...v, text: v.text.trim(), scope } });
    } else {
      const v = value as Escalation;
      if (!v.reason) return setError('Choose a reason');
      onSave({ kind: 'escalation', isNew: draft.isNew, value: { ...v, note: v.note.trim(), scope } });
    }
  };

  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    save();
  };
  // Handled here (and marked handled) so the task's own Mod+Enter (submit) and Escape (leave) stand aside.
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>): void => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      save();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    }
  };

  const title = `${draft.isNew ? 'Add' : 'Edit'} ${draft.kind === 'assumption' ? 'assumption' : 'escalation'}`;
  const reasons = bundle.taxonomy.escalationReasons;
  return (
    <form className="note-form" onSubmit={onSubmit} onKeyDown={onKeyDown} aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`} className="note-form-title">
        {title}
      </h3>
      {draft.kind === 'assumption' ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-cat`} className="field-label">
              Category
            </label>
            <select
              ref={firstRef}
              id={`${id}-cat`}
              className="input"
              value={(value as Assumption).category}
              onChange={(e) => setValue((v) => ({ ...v, category: e.target.value }))}
            >
              <option value="">Choose a category…</option>
              {bundle.taxonomy.assumptionCategories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
          <TextField
            id={`${id}-text`}
            label="What did you assume?"
            inputClassName="textarea-small"
            rows={2}
            value={(value as Assumption).text}
            onChange={(text) => setValue((v) => ({ ...v, text }))}
            placeholder="e.g. The patient is not pregnant"
          />
        </>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-reason`} className="field-label">
              Reason
            </label>
            <select
              ref={firstRef}
              id={`${id}-reason`}
              className="input"
              value={(value as Escalation).reason}
              onChange={(e) => {
                const r = reasons.find((x) => x.id === e.target.value);
                setValue((v) => ({ ...v, reason: e.target.value, ...(r ? { severity: r.severity } : {}) }));
              }}
            >
              <option value="">Choose a reason…</option>
              {reasons.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label} ({r.severity})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-sev`} className="field-label">
              Severity
            </label>
            <select
              id={`${id}-sev`}
              className="input"
              value={(value as Escalation).severity}
              onChange={(e) => setValue((v) => ({ ...v, severity: e.target.value as Severity }))}
            >
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <TextField
            id={`${id}-note`}
            label="Note for the reviewer"
            inputClassName="textarea-small"
            rows={2}
            value={(value as Escalation).note}
            onChange={(note) => setValue((v) => ({ ...v, note }))}
            placeholder="What would you need to decide, or what is wrong?"
          />
        </>
      )}
      <div className="field">
        <label htmlFor={`${id}-scope`} className="field-label">
          About
        </label>
        <select id={`${id}-scope`} className="input" value={scopeKey(value.scope)} onChange={(e) => setScopeKey(e.target.value)}>
          {scopeOptions.map((o) => (
            <option key={o.key} value={o.key}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      {value.scope.type === 'step' ? (
        <div className="field">
          <label htmlFor={`${id}-step`} className="field-label">
            Step number
          </label>
          <input
            id={`${id}-step`}
            className="input input-narrow"
            type="number"
            min={1}
            max={steps.length}
            value={stepNo}
            onChange={(e) => setStepNo(e.target.value)}
          />
        </div>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="row gap">
        <button type="submit" className="btn btn-primary btn-small">
          Save <Kbd keys="Mod+Enter" />
        </button>
        <button type="button" className="btn btn-small" onClick={onCancel}>
          Cancel <Kbd keys="Escape" />
        </button>
      </div>
    </form>
  );
}

export function blankAssumption(scope: Scope): Assumption {
  return { id: newId('as'), category: '', text: '', scope };
}

export function blankEscalation(scope: Scope): Escalation {
  return { id: newId('esc'), reason: '', severity: 'medium', note: '', scope };
}
