import type { BundleDetail, ReviewTaskView } from '../../../../shared/contract/index.ts';
import { who } from './SideBySide.tsx';

/** Every annotator's assumptions and escalations, beside their answers; escalations can be resolved by the decision. */
export function NotesBeside({ review, bundle, resolves, onResolve }: { review: ReviewTaskView; bundle: BundleDetail; resolves: ReadonlySet<string>; onResolve: (key: string, on: boolean) => void }) {
  const category = (id: string): string => bundle.taxonomy.assumptionCategories.find((c) => c.id === id)?.label ?? id;
  return (
    <div className="notes-beside">
      {review.work.map((w) => (
        <section key={w.annotationId} className="notes-beside-one" aria-label={`${who(w)}’s assumptions and escalations`}>
          <h3 className="notes-beside-who">{who(w)}</h3>
          {w.content.assumptions.length === 0 && w.escalations.length === 0 ? <p className="muted small">No assumptions or escalations.</p> : null}
          {w.content.assumptions.length > 0 ? (
            <ul className="notes-beside-list">
              {w.content.assumptions.map((a) => (
                <li key={a.id}>
                  <span className="chip">{category(a.category)}</span> {a.text}
                </li>
              ))}
            </ul>
          ) : null}
          {w.escalations.map((e) => {
            const key = `${e.annotationId}/${e.escalationId}`;
            return (
              <div key={key} className="notes-beside-esc">
                <span className={`severity-badge severity-badge-${e.severity}`}>{e.severity}</span> <strong>{e.reasonLabel}</strong>
                {e.note ? <span> — {e.note}</span> : null}
                {e.resolved ? (
                  <span className="muted small"> · resolved</span>
                ) : (
                  <label className="notes-beside-resolve small">
                    <input type="checkbox" checked={resolves.has(key)} onChange={(ev) => onResolve(key, ev.target.checked)} /> Resolved by this decision
                  </label>
                )}
              </div>
            );
          })}
        </section>
      ))}
    </div>
  );
}
