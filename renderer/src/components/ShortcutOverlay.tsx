import { useEffect, useMemo, useRef } from 'react';
import { SCOPE_LABELS, SHORTCUTS, type Scope, type Shortcut } from '../keyboard/registry.ts';
import { boundShortcutIds, suspendShortcuts } from '../keyboard/manager.ts';
import { Kbd } from './Kbd.tsx';

const ORDER: Scope[] = ['global', 'bundles', 'queue', 'task', 'compare', 'exemplar', 'trajectory', 'review'];

interface Group {
  scope: Scope;
  list: Shortcut[];
}

/**
 * The registry split in two: the scopes of the screen on show (those with a shortcut bound now,
 * the screen's own first and "Anywhere" last), and every other scope.
 */
function splitByScreen(bound: ReadonlySet<string>): { here: Group[]; elsewhere: Group[] } {
  const all = SHORTCUTS as readonly Shortcut[];
  const live = new Set(all.filter((s) => s.scope !== 'global' && bound.has(s.id)).map((s) => s.scope));
  const group = (scope: Scope): Group => ({ scope, list: all.filter((s) => s.scope === scope) });
  // Kind views before the "Any task" keys they share the screen with.
  const screenOrder: Scope[] = [...ORDER.filter((s) => s !== 'global' && s !== 'task'), 'task'];
  const here = [...screenOrder.filter((s) => live.has(s)).map(group), group('global')];
  const elsewhere = ORDER.filter((s) => s !== 'global' && !live.has(s)).map(group);
  return { here, elsewhere };
}

function ShortcutSection({ scope, list }: Group) {
  return (
    <section className="shortcut-section" aria-labelledby={`sc-${scope}`}>
      <h3 id={`sc-${scope}`} className="shortcut-scope">
        {SCOPE_LABELS[scope]}
      </h3>
      <dl className="shortcut-list">
        {list.map((s) => (
          <div key={s.id} className="shortcut-row">
            <dt>
              {s.display
                ? s.display.split(' … ').map((k, i) => (
                    <span key={k}>
                      {i > 0 ? <span className="muted"> … </span> : null}
                      <Kbd keys={k} />
                    </span>
                  ))
                : s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 ? <span className="muted"> or </span> : null}
                      <Kbd keys={k} />
                    </span>
                  ))}
            </dt>
            <dd>{s.description}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/**
 * Modal list of the shortcuts: the current screen's first, every other screen's folded away
 * below. Escape closes; Tab stays inside.
 */
export function ShortcutOverlay({ onClose }: { onClose: () => void }) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  // Read once, as the overlay opens: the screen behind it does not change while it is open.
  const { here, elsewhere } = useMemo(() => splitByScreen(boundShortcutIds()), []);

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
            Single-key shortcuts do not fire while you type in a text field. <Kbd keys="Escape" /> leaves the field (focus stays on
            its section); it never leaves a task: <Kbd keys="g q" /> goes back to the queue. On a focused rubric score or choice, a
            digit chooses that option and nothing else. A key means the same on every screen that has it.
          </p>
          <h3 className="shortcut-group-title">On this screen</h3>
          <div className="shortcut-columns">
            {here.map((g) => (
              <ShortcutSection key={g.scope} {...g} />
            ))}
          </div>
          {elsewhere.length > 0 ? (
            <details className="shortcut-elsewhere">
              <summary>Other screens ({elsewhere.map((g) => SCOPE_LABELS[g.scope]).join(', ')})</summary>
              <div className="shortcut-columns">
                {elsewhere.map((g) => (
                  <ShortcutSection key={g.scope} {...g} />
                ))}
              </div>
            </details>
          ) : null}
        </div>
      </div>
    </div>
  );
}
