import { useId, type KeyboardEvent, type ReactNode } from 'react';

export interface RadioOption {
  /** Stable string key of the option. */
  key: string;
  label: ReactNode;
  /** Accessible name when the visible label is terse (e.g. just "4"). */
  ariaLabel?: string;
  /** Tooltip: longer label and the keyboard shortcut. */
  title?: string;
  /**
   * The digit that chooses this option while the group has focus; null for none. Defaults to the
   * key itself when it is a digit (a Likert point), else the option's position (1 = first).
   */
  digit?: number | null;
}

function digitFor(o: RadioOption, index: number): number | null {
  if (o.digit !== undefined) return o.digit;
  if (/^[0-9]$/.test(o.key)) return Number(o.key);
  return index < 9 ? index + 1 : null;
}

interface Props {
  name: string;
  /** Visible group label. */
  label: ReactNode;
  /** Accessible group name when the visible label is not enough (e.g. "Accuracy, Response A"). */
  ariaLabel?: string;
  options: readonly RadioOption[];
  value: string | null;
  onChange: (key: string) => void;
  disabled?: boolean;
  required?: boolean;
  invalid?: boolean;
  hint?: ReactNode;
  /** Longer explanation for assistive technology (e.g. the rubric's criterion description). */
  description?: string;
  className?: string;
  compact?: boolean;
}

/**
 * Native radio inputs styled as a segmented control: Tab reaches the group once, arrow keys move
 * and choose, Space chooses. The wrapper carries role="radiogroup" with the group's name.
 */
export function RadioGroup({ name, label, ariaLabel, options, value, onChange, disabled, required, invalid, hint, description, className, compact }: Props) {
  const labelId = useId();
  // Scoped hotkeys: a digit typed while this group has focus is this group's answer, never a
  // screen shortcut (a focused score took "1" as "prefer Response A" before). A digit that names
  // no option is swallowed too, so it cannot reach the screen's shortcuts either.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey || !/^Digit[0-9]$|^Numpad[0-9]$/.test(e.code)) return;
    if (!(e.target instanceof HTMLInputElement) || e.target.type !== 'radio') return;
    e.preventDefault();
    const d = Number(e.code.slice(-1));
    const i = options.findIndex((o, n) => digitFor(o, n) === d);
    const o = options[i];
    if (!o || disabled) return;
    const input = e.currentTarget.querySelectorAll<HTMLInputElement>('input[type="radio"]')[i];
    if (o.key !== value) onChange(o.key);
    input?.focus();
  };
  const hintId = useId();
  const descId = useId();
  const describedBy = [hint ? hintId : null, description ? descId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${className ?? ''}`}>
      <div id={labelId} className="field-label">
        {label}
        {required ? (
          <span className="required" aria-hidden="true" title="Required">
            *
          </span>
        ) : null}
      </div>
      <div
        role="radiogroup"
        aria-labelledby={ariaLabel ? undefined : labelId}
        aria-label={ariaLabel}
        aria-required={required || undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        aria-disabled={disabled || undefined}
        className={`segmented${compact ? ' segmented-compact' : ''}${invalid ? ' is-invalid' : ''}`}
        onKeyDown={onKeyDown}
      >
        {options.map((o) => (
          <label key={o.key} className="segment" title={o.title}>
            <input
              type="radio"
              name={name}
              value={o.key}
              checked={value === o.key}
              disabled={disabled}
              aria-label={o.ariaLabel}
              onChange={() => onChange(o.key)}
            />
            <span className="segment-face">{o.label}</span>
          </label>
        ))}
      </div>
      {hint ? (
        <div id={hintId} className="field-hint">
          {hint}
        </div>
      ) : null}
      {description ? (
        <span id={descId} className="sr-only">
          {description}
        </span>
      ) : null}
    </div>
  );
}

/** The option Tab would land on in a radio group: the checked one, else the first. */
export function radioFocusTarget(group: Element | null | undefined): HTMLInputElement | null {
  if (!group) return null;
  const checked = group.querySelector<HTMLInputElement>('input[type="radio"]:checked:not(:disabled)');
  return checked ?? group.querySelector<HTMLInputElement>('input[type="radio"]:not(:disabled)');
}

/** Focuses a radio group the way Tab would: the checked option, else the first one. */
export function focusRadioGroup(group: Element | null, options?: FocusOptions): boolean {
  const target = radioFocusTarget(group);
  if (!target) return false;
  target.focus(options);
  return true;
}
