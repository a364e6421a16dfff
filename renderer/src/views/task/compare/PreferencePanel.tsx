import type { CompareAnswer, Strength } from '../../../../../shared/domain/index.ts';
import { STRENGTH_LABELS } from '../../../../../shared/domain/index.ts';
import { RadioGroup } from '../../../components/RadioGroup.tsx';
import { Kbd } from '../../../components/Kbd.tsx';
import { hint, responseLetter } from '../../../keyboard/registry.ts';

interface Props {
  answer: CompareAnswer;
  displayOrder: readonly string[];
  disabled: boolean;
  invalidChoice: boolean;
  invalidStrength: boolean;
  onChoice: (choice: string) => void;
  onStrength: (strength: Strength) => void;
}

/**
 * The strength question. With three or more responses "how much better" has no obvious other
 * side, so it names one: the next best (the ranking's second place).
 */
export function strengthQuestion(letter: string | null, responses: number): string {
  const than = responses > 2 ? ' than the next best' : '';
  return letter ? `How much better is Response ${letter}${than}?` : `How much better${than ? ' is the best' + than : ''}?`;
}

/** Which response wins (or tie / unacceptable / cannot judge), and by how much. */
export function PreferencePanel({ answer, displayOrder, disabled, invalidChoice, invalidStrength, onChoice, onStrength }: Props) {
  const many = displayOrder.length > 2;
  const choice = answer.preference?.choice ?? null;
  const pickedResponse = choice !== null && displayOrder.includes(choice);
  const responseOptions = displayOrder.map((id, i) => ({
    key: id,
    label: (
      <span className="option-with-key">
        Response {responseLetter(i)}
        <Kbd keys={String(i + 1)} />
      </span>
    ),
    ariaLabel: `Response ${responseLetter(i)}`,
    title: hint('compare.pick', `Prefer Response ${responseLetter(i)}`, String(i + 1)),
  }));
  const verdictOptions = [
    { key: 'tie', text: 'Tie', id: 'compare.tie' as const, k: 't' },
    { key: 'both_unacceptable', text: many ? 'All unacceptable' : 'Both unacceptable', id: 'compare.unacceptable' as const, k: 'x' },
    { key: 'cannot_judge', text: 'Cannot judge', id: 'compare.cannotJudge' as const, k: 'c' },
  ].map((v) => ({
    key: v.key,
    label: (
      <span className="option-with-key">
        {v.text}
        <Kbd keys={v.k} />
      </span>
    ),
    ariaLabel: v.text,
    title: hint(v.id, v.text),
    // Digits prefer a response (as the screen's 1 … 8 do); the verdicts have letters of their own.
    digit: null,
  }));
  const strengthKey = answer.preference?.strength ? String(answer.preference.strength) : null;

  return (
    <div className="preference">
      <RadioGroup
        name="preference"
        label={many ? 'Which response is best?' : 'Which response is better?'}
        options={[...responseOptions, ...verdictOptions]}
        value={choice}
        onChange={onChoice}
        disabled={disabled}
        required
        invalid={invalidChoice}
        className="preference-field"
      />
      <RadioGroup
        name="strength"
        label={strengthQuestion(pickedResponse ? responseLetter(displayOrder.indexOf(choice ?? '')) : null, displayOrder.length)}
        options={([1, 2, 3] as const).map((s) => ({
          key: String(s),
          label: (
            <span className="option-with-key">
              {capitalize(STRENGTH_LABELS[s])}
              <Kbd keys={`Shift+${s}`} />
            </span>
          ),
          ariaLabel: capitalize(STRENGTH_LABELS[s]),
          title: hint('compare.strength', capitalize(STRENGTH_LABELS[s]), `Shift+${s}`),
        }))}
        value={pickedResponse ? strengthKey : null}
        onChange={(k) => onStrength(Number(k) as Strength)}
        disabled={disabled || !pickedResponse}
        required={pickedResponse}
        invalid={invalidStrength}
        hint={pickedResponse ? undefined : 'Needed when one response is preferred.'}
        className="strength-field"
      />
    </div>
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
