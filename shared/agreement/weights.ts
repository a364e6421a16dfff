/**
 * Agreement weights between categories by their position in the ordered category list
 * (as R's irr::kappa2, scikit-learn's cohen_kappa_score and SAS do): 1 on the diagonal,
 * falling to 0 between the two ends of the scale.
 */
export type WeightKind = 'identity' | 'linear' | 'quadratic';

export function agreementWeights(q: number, kind: WeightKind): Float64Array {
  const w = new Float64Array(q * q);
  const span = Math.max(1, q - 1);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      const d = Math.abs(i - j) / span;
      w[i * q + j] = kind === 'identity' ? (i === j ? 1 : 0) : kind === 'linear' ? 1 - d : 1 - d * d;
    }
  }
  return w;
}
