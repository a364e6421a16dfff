import { useMemo, useState } from 'react';
import type { BundleDetail, Response, TaskView } from '../../../../shared/contract/index.ts';
import { viewOnlyTaskStore } from '../../state/task.ts';
import { KindBadge } from '../../components/Badges.tsx';
import { TaskKindView } from '../task/TaskKindView.tsx';

type Validation = Response<'admin.validateSource'>;
type PreviewTask = Validation['preview'][number];

/** The bundle a validated source will become, as much as the task views need of it. */
function previewBundle(v: Validation): BundleDetail | null {
  if (!v.bundle || !v.previewSettings) return null;
  const now = new Date(0).toISOString();
  return {
    id: v.bundle.id,
    version: v.bundle.version,
    title: v.bundle.title,
    description: null,
    taskCount: v.taskCount,
    kinds: v.taskCounts,
    counts: { todo: v.taskCount, draft: 0, submitted: 0, escalated: 0 },
    createdAt: now,
    expiresAt: now,
    importedAt: now,
    signer: { keyId: '', label: '' },
    sample: false,
    escalations: { total: 0, highSeverity: 0 },
    ...v.previewSettings,
  };
}

function previewView(bundle: BundleDetail, task: PreviewTask, position: number): TaskView {
  return {
    bundleId: bundle.id,
    bundleVersion: bundle.version,
    task,
    position,
    total: bundle.taskCount,
    status: 'todo',
    // Annotators see responses in an order shuffled for them; the preview keeps the source's.
    displayOrder: task.kind === 'compare' ? task.responses.map((r) => r.id) : [],
    annotation: null,
    history: [],
  };
}

/**
 * The first tasks of a validated source in the real task views, read-only: exactly what an
 * annotator will be shown, with nothing to fill in. One task is open at a time (each view owns
 * the keyboard while it is shown).
 */
export function AdminPreview({ validation }: { validation: Validation }) {
  const bundle = useMemo(() => previewBundle(validation), [validation]);
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <ul className="admin-preview">
      {validation.preview.map((t, i) => (
        <li key={t.id}>
          <details
            className="admin-preview-item"
            open={openId === t.id}
            onToggle={(e) => {
              const open = e.currentTarget.open;
              setOpenId((cur) => (open ? t.id : cur === t.id ? null : cur));
            }}
          >
            <summary>
              <KindBadge kind={t.kind} /> <span className="admin-preview-title">{t.title ?? t.id}</span> <span className="mono muted small">{t.id}</span>
            </summary>
            {openId === t.id ? <PreviewBody bundle={bundle} task={t} position={i + 1} /> : null}
          </details>
        </li>
      ))}
    </ul>
  );
}

function PreviewBody({ bundle, task, position }: { bundle: BundleDetail | null; task: PreviewTask; position: number }) {
  const store = useMemo(() => (bundle ? viewOnlyTaskStore(previewView(bundle, task, position), bundle, null) : null), [bundle, task, position]);
  if (!store) return <p className="admin-preview-body muted small">Fix the bundle settings, rubric and taxonomy first: the preview needs them.</p>;
  return (
    <div className="admin-preview-body admin-preview-task">
      <TaskKindView store={store} />
    </div>
  );
}
