import { isFinal, useTask } from '../../../state/task.ts';

const TEXT = { idle: '', pending: 'Unsaved changes', saving: 'Saving…', saved: 'Saved', error: 'Not saved' } as const;

/** Autosave state, announced politely to screen readers. */
export function SaveStatus() {
  const save = useTask((s) => s.save);
  const saveError = useTask((s) => s.saveError);
  const status = useTask((s) => s.status);
  const text = isFinal(status) && save === 'idle' ? '' : TEXT[save];
  return (
    <span className={`save-status save-${save}`} role="status" aria-live="polite" title={saveError ?? undefined}>
      {text ? <span className="status-dot" aria-hidden="true" /> : null}
      {text}
      {save === 'error' && saveError ? <span className="save-error-text">: {saveError}</span> : null}
    </span>
  );
}
