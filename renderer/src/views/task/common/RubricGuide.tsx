import type { Criterion } from '../../../../../shared/domain/index.ts';

function scaleText(c: Criterion): string[] {
  switch (c.scale.type) {
    case 'likert':
      return c.scale.points.map((p) => (p.label.trim().startsWith(String(p.value)) ? p.label : `${p.value} · ${p.label}`));
    case 'binary':
      return [c.scale.trueLabel, c.scale.falseLabel];
    case 'categorical':
      return c.scale.options.map((o) => o.label);
  }
}

/** The rubric's criteria for this task kind, with what each point means. */
export function RubricGuide({ criteria }: { criteria: readonly Criterion[] }) {
  if (criteria.length === 0) return null;
  return (
    <details className="guidelines guidelines-side">
      <summary>Rubric</summary>
      <div className="guidelines-body rubric-body" tabIndex={0} role="region" aria-label="Rubric criteria">
        <dl className="rubric-list">
          {criteria.map((c) => (
            <div key={c.id} className="rubric-item">
              <dt>
                {c.label}
                {c.required ? <span className="badge">required</span> : null}
              </dt>
              <dd>
                {c.description ? <p>{c.description}</p> : null}
                <ul className="rubric-scale">
                  {scaleText(c).map((t) => (
                    <li key={t}>{t}</li>
                  ))}
                </ul>
                {c.guidelineSection ? <p className="muted small">See guidelines: {c.guidelineSection}</p> : null}
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </details>
  );
}
