/** Submitted and draft shares of a total, with the numbers in words for screen readers. */
export function ProgressBar({ submitted, draft, total, label }: { submitted: number; draft: number; total: number; label: string }) {
  const pct = (n: number): string => (total > 0 ? `${(n / total) * 100}%` : '0%');
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={submitted}
      aria-valuetext={`${submitted} of ${total} submitted, ${draft} in draft`}
    >
      <span className="progress-submitted" style={{ width: pct(submitted) }} />
      <span className="progress-draft" style={{ width: pct(draft) }} />
    </div>
  );
}
