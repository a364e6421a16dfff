import type { Assumption, Escalation, Scope } from '../../../../../shared/domain/index.ts';

export interface StepNotes {
  assumptions: number;
  escalations: number;
}

function stepOf(scope: Scope): string | null {
  if (scope.type === 'step') return scope.stepId;
  if (scope.type === 'span' && scope.target.startsWith('step:')) return scope.target.slice('step:'.length);
  return null;
}

/** How many assumptions and escalations are about each step (a step scope or a span inside it). */
export function notesPerStep(assumptions: readonly Assumption[], escalations: readonly Escalation[]): Map<string, StepNotes> {
  const out = new Map<string, StepNotes>();
  const bump = (scope: Scope, key: keyof StepNotes): void => {
    const id = stepOf(scope);
    if (!id) return;
    const n = out.get(id) ?? { assumptions: 0, escalations: 0 };
    out.set(id, { ...n, [key]: n[key] + 1 });
  };
  assumptions.forEach((a) => bump(a.scope, 'assumptions'));
  escalations.forEach((e) => bump(e.scope, 'escalations'));
  return out;
}
