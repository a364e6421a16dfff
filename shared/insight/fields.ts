/**
 * The fields agreement is measured on: one per (task kind, aspect[, criterion]). A field's units
 * are what each coder answers once: a task (preference, outcome, first error), a response or
 * draft of a task (criterion scores), a step of a trajectory (step verdicts). Its level says
 * how disagreements count (nominal: any difference is total; ordinal: by rank distance).
 */
import type { Level, Value } from '../agreement/index.ts';
import type { Criterion, Scale, TaskKind } from '../domain/index.ts';

export type Aspect = 'preference' | 'strength' | 'score' | 'step' | 'first_error' | 'outcome';

/** Which coefficient is the field's headline figure. */
export type Headline = 'alpha' | 'ac1' | 'first_error';

export interface FieldInfo {
  /** Stable id, e.g. "compare.preference", "compare.score.safety", "trajectory.step". */
  readonly id: string;
  readonly kind: TaskKind;
  readonly aspect: Aspect;
  readonly criterionId: string | null;
  /** How a person names it in a sentence: "Criterion 'Safety'", "Step verdicts". */
  readonly label: string;
  readonly level: Level;
  /** Known categories in order (ordinal scales), when the rubric gives them. */
  readonly categories: readonly Value[] | null;
  readonly headline: Headline;
}

/** Trajectory outcomes in order, worst first: the outcome field is ordinal. */
export const OUTCOMES = ['failure', 'partial', 'success'] as const;

const KIND_LABEL: Record<TaskKind, string> = { compare: 'comparisons', exemplar: 'exemplars', trajectory: 'trajectories' };

export function preferenceField(): FieldInfo {
  return { id: 'compare.preference', kind: 'compare', aspect: 'preference', criterionId: null, label: 'Preference', level: 'nominal', categories: null, headline: 'alpha' };
}

/**
 * Signed strength on two-response tasks: +s for the first response in task order, −s for the
 * second, 0 for a tie. Direction and strength in one ordinal scale, so "slightly A" against
 * "much A" is a small disagreement and "A" against "B" a large one.
 */
export function strengthField(): FieldInfo {
  return { id: 'compare.strength', kind: 'compare', aspect: 'strength', criterionId: null, label: 'Preference strength', level: 'ordinal', categories: [-3, -2, -1, 0, 1, 2, 3], headline: 'alpha' };
}

export function stepField(): FieldInfo {
  // "good" dominates step verdicts, where kappa-type coefficients collapse (the paradox of high
  // agreement, low kappa): Gwet's AC1 is the headline, alpha is reported beside it.
  return { id: 'trajectory.step', kind: 'trajectory', aspect: 'step', criterionId: null, label: 'Step verdicts', level: 'nominal', categories: ['good', 'error', 'unnecessary', 'unsafe'], headline: 'ac1' };
}

export function firstErrorField(): FieldInfo {
  return { id: 'trajectory.first_error', kind: 'trajectory', aspect: 'first_error', criterionId: null, label: 'First-error step', level: 'nominal', categories: null, headline: 'first_error' };
}

export function outcomeField(): FieldInfo {
  return { id: 'trajectory.outcome', kind: 'trajectory', aspect: 'outcome', criterionId: null, label: 'Outcome', level: 'ordinal', categories: [...OUTCOMES], headline: 'alpha' };
}

/** The level a criterion's scale is measured at: Likert ordinal, binary and categorical nominal. */
export function scaleLevel(scale: Scale): { level: Level; categories: Value[] } {
  switch (scale.type) {
    case 'likert':
      return { level: 'ordinal', categories: [...scale.points].map((p) => p.value).sort((a, b) => a - b) };
    case 'binary':
      return { level: 'nominal', categories: ['false', 'true'] };
    case 'categorical':
      return { level: 'nominal', categories: scale.options.map((o) => o.value) };
  }
}

/**
 * A criterion score field. Without the rubric (a bundle whose rubric is not at hand) the level
 * follows the values: numbers ordinal, anything else nominal.
 */
export function scoreField(kind: TaskKind, criterionId: string, criterion: Criterion | undefined, sample: Value): FieldInfo {
  const { level, categories } = criterion ? scaleLevel(criterion.scale) : { level: typeof sample === 'number' ? ('ordinal' as const) : ('nominal' as const), categories: null };
  const name = criterion?.label ?? criterionId;
  return {
    id: `${kind}.score.${criterionId}`,
    kind,
    aspect: 'score',
    criterionId,
    label: `Criterion '${name}' (${KIND_LABEL[kind]})`,
    level,
    categories,
    headline: 'alpha',
  };
}
