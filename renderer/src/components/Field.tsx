import type { ReactNode, Ref, TextareaHTMLAttributes } from 'react';
import { hint as shortcutHint, type ShortcutId } from '../keyboard/registry.ts';
import { ShortcutKbd } from './Kbd.tsx';

type TextareaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'value' | 'onChange' | 'className' | 'required'>;

interface Props extends TextareaProps {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  /** Shows the required star, or "(optional)"; nothing when left out. */
  need?: 'required' | 'optional';
  /** A short word after the label, e.g. "(short)". */
  aside?: ReactNode;
  /** The registry shortcut that focuses the field, shown as a keycap beside the label. */
  shortcut?: ShortcutId;
  invalid?: boolean;
  /** Below the field. */
  hint?: ReactNode;
  inputRef?: Ref<HTMLTextAreaElement>;
  /** Extra classes of the textarea (the wrapper is always `.field`). */
  inputClassName?: string;
  fieldClassName?: string;
}

/**
 * A labelled text area: the label, whether it is required, the key that focuses it, and the
 * field itself. The keycap is hidden from assistive technology: the label is the field's name,
 * and the shortcut is in its title.
 */
export function TextField({ id, label, value, onChange, need, aside, shortcut, invalid, hint, inputRef, inputClassName, fieldClassName, title, ...rest }: Props) {
  const required = need === 'required';
  return (
    <div className={`field${fieldClassName ? ` ${fieldClassName}` : ''}`}>
      <div className="field-label">
        <label htmlFor={id}>{label}</label>
        {required ? (
          <span className="required" aria-hidden="true" title="Required">
            *
          </span>
        ) : need === 'optional' ? (
          <span className="muted small"> (optional)</span>
        ) : null}
        {aside ? <span className="muted small"> {aside}</span> : null}
        {shortcut ? (
          <span className="field-label-key" title={shortcutHint(shortcut)} aria-hidden="true">
            <ShortcutKbd id={shortcut} />
          </span>
        ) : null}
      </div>
      <textarea
        ref={inputRef}
        id={id}
        className={`input textarea${inputClassName ? ` ${inputClassName}` : ''}${invalid ? ' is-invalid' : ''}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required={required || undefined}
        aria-required={required || undefined}
        aria-invalid={invalid || undefined}
        title={title ?? (shortcut ? shortcutHint(shortcut, typeof label === 'string' ? label : undefined) : undefined)}
        {...rest}
      />
      {hint ? <div className="field-hint">{hint}</div> : null}
    </div>
  );
}
