import { useEffect, useRef } from 'react';
import { SCOPE_LABELS, SHORTCUTS, type Scope, type Shortcut } from '../keyboard/registry.ts';
import { suspendShortcuts } from '../keyboard/manager.ts';
import { Kbd } from './Kbd.tsx';

const ORDER: Scope[] = ['global', 'bundles', 'queue', 'task', 'compare', 'exemplar', 'trajectory', 'review'];

/** Modal list of every shortcut in the registry. Escape closes; Tab stays inside. */
export function ShortcutOverlay({ onClose }: { onClose: () => void }) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const resume = suspendShortcuts();
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    return () => {
      resume();
      previous?.focus();
    };
  }, []);

  function onKeyDown(event: React.KeyboardEvent<HTMLDivElement>): void {
    if (event.key === 'Escape' || event.key === '?') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusables = dialogRef.current?.querySelectorAll<HTMLElement>('button, [tabindex="0"]');
    if (!focusables || focusables.length === 0) return;
    const first = focusables[0];
    const last = focusables[focusables.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  }

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={dialogRef}
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcut-title"
        onKeyDown={onKeyDown}
      >
        <div className="modal-header">
          <h2 id="shortcut-title" className="section-title">
            Keyboard shortcuts
          </h2>
          <button ref={closeRef} type="button" className="btn btn-ghost btn-small" onClick={onClose} aria-label="Close keyboard shortcuts">
            Close <Kbd keys="Escape" />
          </button>
        </div>
        <div className="modal-body" tabIndex={0} aria-label="Shortcut list">
          <p className="muted small">
            Single-key shortcuts do not fire while you type in a text field; press <Kbd keys="Escape" /> to leave the field first.
            Rubric scores: <Kbd keys="Tab" /> to a criterion, arrow keys to choose.
          </p>
          <div className="shortcut-columns">
            {ORDER.map((scope) => {
              const list = (SHORTCUTS as readonly Shortcut[]).filter((s) => s.scope === scope);
              return (
                <section key={scope} className="shortcut-section" aria-labelledby={`sc-${scope}`}>
                  <h3 id={`sc-${scope}`} className="shortcut-scope">
                    {SCOPE_LABELS[scope]}
                  </h3>
                  <dl className="shortcut-list">
                    {list.map((s) => (
                      <div key={s.id} className="shortcut-row">
                        <dt>
                          {s.display ? (
                            s.display.split(' … ').map((k, i) => (
                              <span key={k}>
                                {i > 0 ? <span className="muted"> … </span> : null}
                                <Kbd keys={k} />
                              </span>
                            ))
                          ) : (
                            s.keys.map((k, i) => (
                            <span key={k}>
                              {i > 0 ? <span className="muted"> or </span> : null}
                              <Kbd keys={k} />
                            </span>
                          ))
                          )}
                        </dt>
                        <dd>{s.description}</dd>
                      </div>
                    ))}
                  </dl>
                </section>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
