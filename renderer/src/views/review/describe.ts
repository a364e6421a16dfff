import type { Scope } from '../../../../shared/domain/index.ts';

/** A scope in words without loading the task (the lists here span many tasks). */
export function scopeText(scope: Scope): string {
  switch (scope.type) {
    case 'task':
      return 'Whole task';
    case 'response':
      return `Response ${scope.responseId}`;
    case 'step':
      return `Step ${scope.stepId}`;
    case 'span':
      return `“${scope.quote.length > 50 ? `${scope.quote.slice(0, 49)}…` : scope.quote}”`;
  }
}

export const when = (iso: string | null): string =>
  iso ? new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }) : '';
