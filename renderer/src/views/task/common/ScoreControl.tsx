import type { Criterion, ScoreValue } from '../../../../../shared/domain/index.ts';
import { RadioGroup, type RadioOption } from '../../../components/RadioGroup.tsx';

/** "4 · Good", unless the label already starts with its number ("4 — Good"). */
function pointText(p: { value: number; label: string } | undefined): string {
  if (!p) return '';
  return p.label.trim().startsWith(String(p.value)) ? p.label : `${p.value} · ${p.label}`;
}

function optionsOf(c: Criterion): RadioOption[] {
  switch (c.scale.type) {
    case 'likert':
      return c.scale.points.map((p) => ({ key: String(p.value), label: String(p.value), ariaLabel: pointText(p), title: pointText(p) }));
    case 'binary':
      return [
        { key: 'true', label: c.scale.trueLabel },
        { key: 'false', label: c.scale.falseLabel },
      ];
    case 'categorical':
      return c.scale.options.map((o) => ({ key: o.value, label: o.label }));
  }
}

export function scoreKey(value: ScoreValue | undefined): string | null {
  return value === undefined ? null : String(value);
}

function decode(c: Criterion, key: string): ScoreValue {
  switch (c.scale.type) {
    case 'likert':
      return Number(key);
    case 'binary':
      return key === 'true';
    case 'categorical':
      return key;
  }
}

interface Props {
  criterion: Criterion;
  responseLabel: string;
  name: string;
  value: ScoreValue | undefined;
  onChange: (value: ScoreValue) => void;
  disabled: boolean;
  invalid: boolean;
}

/** One rubric criterion for one response: a radio group (Tab to reach, arrows to choose). */
export function ScoreControl({ criterion, responseLabel, name, value, onChange, disabled, invalid }: Props) {
  const key = scoreKey(value);
  const selectedPoint = criterion.scale.type === 'likert' ? criterion.scale.points.find((p) => String(p.value) === key) : undefined;
  const ends =
    criterion.scale.type === 'likert' && criterion.scale.points.length > 0
      ? `${pointText(criterion.scale.points[0])} → ${pointText(criterion.scale.points[criterion.scale.points.length - 1])}`
      : null;
  return (
    <RadioGroup
      name={name}
      label={<span title={[criterion.description, ends].filter(Boolean).join('\n')}>{criterion.label}</span>}
      ariaLabel={`${criterion.label}, ${responseLabel}${criterion.required ? ' (required)' : ''}`}
      options={optionsOf(criterion)}
      value={key}
      onChange={(k) => onChange(decode(criterion, k))}
      disabled={disabled}
      required={criterion.required}
      invalid={invalid}
      compact={criterion.scale.type === 'likert'}
      className={`score-field score-${criterion.scale.type}`}
      // The chosen point in words; before a choice the scale's two ends are in the label's tooltip and
      // the description (a line per criterion for them took the room the response text needs).
      hint={selectedPoint ? pointText(selectedPoint) : undefined}
      description={[criterion.description, ends ? `Scale: ${ends}` : null].filter(Boolean).join('. ') || undefined}
    />
  );
}
