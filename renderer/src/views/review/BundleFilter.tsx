import { useBundles } from '../../state/bundles.ts';

/** The reviewer screens' "Bundle" filter: every installed bundle, or all of them (empty value). */
export function BundleFilter({ value, onChange }: { value: string; onChange: (bundleId: string) => void }) {
  const bundles = useBundles((s) => s.list);
  return (
    <label className="field-inline">
      <span className="field-label">Bundle</span>
      <select className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All bundles</option>
        {(bundles ?? []).map((b) => (
          <option key={b.id} value={b.id}>
            {b.title}
          </option>
        ))}
      </select>
    </label>
  );
}
