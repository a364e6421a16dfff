/** Special functions the tests of significance need, accurate to about 1e-14 relative. */

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/**
 * erfc(x) = 1 − erf(x). Below 2: the series erf(x) = 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)),
 * whose terms are all positive (no cancellation). From 2 on: the continued fraction
 * erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), by Lentz's method.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 1 - TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
  }
  if (x > 27) return 0;
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * Math.exp(-x * x)) / f;
}

/** Two-sided p-value of a standard normal statistic z. */
export function normalTwoSidedP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** ln(k!) for whole k ≥ 0: summed below 20, else Stirling's series to z⁻⁹ (error < 1e-17). */
export function logFactorial(k: number): number {
  if (k < 20) {
    let sum = 0;
    for (let i = 2; i <= k; i++) sum += Math.log(i);
    return sum;
  }
  const z = k + 1;
  const z2 = z * z;
  const series = (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / 1188 / z2) / z2) / z2) / z2) / z;
  return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + series;
}

/**
 * Binomial(n, p) probabilities for 0..n: by the ratio of successive terms outwards from the
 * mode (so rounding grows only with the distance from it), then normalised to sum to one —
 * which is what keeps them accurate for large n, where ln(n!) itself carries an error of
 * ~1e-10.
 */
export function binomialPmf(n: number, p: number): Float64Array {
  const pmf = new Float64Array(n + 1);
  if (p <= 0) pmf[0] = 1;
  else if (p >= 1) pmf[n] = 1;
  else {
    const q = 1 - p;
    const mode = Math.min(n, Math.floor((n + 1) * p));
    pmf[mode] = 1;
    for (let k = mode; k < n; k++) pmf[k + 1] = ((pmf[k]! * (n - k)) / (k + 1)) * (p / q);
    for (let k = mode; k > 0; k--) pmf[k - 1] = ((pmf[k]! * k) / (n - k + 1)) * (q / p);
    let total = 0;
    for (let k = 0; k <= n; k++) total += pmf[k]!;
    for (let k = 0; k <= n; k++) pmf[k]! /= total;
  }
  return pmf;
}
