import { useId, type ReactNode } from 'react';

export interface RadioOption {
  /** Stable string key of the option. */
  key: string;
  label: ReactNode;
  /** Accessible name when the visible label is terse (e.g. just "4"). */
  ariaLabel?: string;
  /** Tooltip: longer label and the keyboard shortcut. */
  title?: string;
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

/** Focuses a radio group the way Tab would: the checked option, else the first one. */
export function focusRadioGroup(group: Element | null, options?: FocusOptions): boolean {
  if (!group) return false;
  const checked = group.querySelector<HTMLInputElement>('input[type="radio"]:checked:not(:disabled)');
  const first = group.querySelector<HTMLInputElement>('input[type="radio"]:not(:disabled)');
  const target = checked ?? first;
  if (!target) return false;
  target.focus(options);
  return true;
}
