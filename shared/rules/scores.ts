import { scoreFits, type Criterion, type ScoreValue } from '../domain/index.ts';
import { missing, wrong, type RuleIssue } from './issues.ts';

/** Scores checked against their criteria: unknown criteria and values off the scale are wrong; required ones missing. */
export function scoreIssues(
  scores: Readonly<Record<string, ScoreValue>>,
  criteria: readonly Criterion[],
  path: string,
  opts: { required: boolean; label?: string; responseId?: string },
): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const prefix = opts.label ? `${opts.label}: ` : '';
  const at = opts.responseId ? { responseId: opts.responseId } : {};
  for (const [cid, value] of Object.entries(scores)) {
    const c = criteria.find((x) => x.id === cid);
    if (!c) issues.push(wrong('unknown_id', `${path}.${cid}`, `Unknown criterion "${cid}"`, at));
    else if (!scoreFits(c.scale, value)) issues.push(wrong('off_scale', `${path}.${cid}`, `${prefix}"${String(value)}" is not on the scale of ${c.label}`, { ...at, criterionId: cid }));
  }
  if (opts.required) {
    for (const c of criteria.filter((x) => x.required)) {
      if (scores[c.id] === undefined) issues.push(missing('score', `${path}.${c.id}`, `${prefix}${c.label} is required`, { ...at, criterionId: c.id }));
    }
  }
  return issues;
}
