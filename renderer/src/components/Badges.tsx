import type { TaskKind } from '../../../shared/domain/index.ts';
import type { TaskStatus } from '../../../shared/contract/index.ts';

const KIND: Record<TaskKind, string> = { compare: 'Compare', exemplar: 'Exemplar', trajectory: 'Trajectory' };
const STATUS: Record<TaskStatus, string> = { todo: 'To do', draft: 'Draft', submitted: 'Submitted', escalated: 'Escalated' };

export function KindBadge({ kind }: { kind: TaskKind }) {
  return <span className={`kind-chip kind-${kind}`}>{KIND[kind]}</span>;
}

export function StatusPill({ status, revision }: { status: TaskStatus; revision?: number | null }) {
  return (
    <span className={`status-pill status-${status}`}>
      <span className="status-dot" aria-hidden="true" />
      {STATUS[status]}
      {revision && (status === 'submitted' || status === 'escalated') ? ` (revision ${revision})` : null}
    </span>
  );
}
