import { formatDuration, useActiveTime } from '../../../state/activeTime.ts';
import { isFinal, useTask } from '../../../state/task.ts';

/** Active time on this task: what the core has recorded plus what this session has not sent yet. */
export function ActiveTime() {
  const pending = useActiveTime((s) => s.pendingMs);
  const saved = useTask((s) => s.savedActiveMs);
  const status = useTask((s) => s.status);
  const shown = isFinal(status) ? saved : saved + pending;
  return (
    <span className="meta-item" title="Time you actively worked on this task (counted only while the window has focus and you interact)">
      <span className="muted">Active</span> <span className="tabular">{formatDuration(shown)}</span>
    </span>
  );
}
