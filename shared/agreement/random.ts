/**
 * A small seeded PRNG and the samplers the bootstrap needs. Our own generator rather than
 * Math.random, so that an interval is the same on every machine and in every host for a seed.
 */

import { logFactorial } from './special.ts';

const TWO_32 = 4294967296;

/** splitmix32: spreads a seed (or a seed and a stream number) over 32 bits. */
export function mixSeed(seed: number, stream = 0): number {
  let z = (Math.trunc(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): fast, 128-bit state, passes PractRand. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = mixSeed(seed, stream);
    this.b = mixSeed(this.a, 1);
    this.c = mixSeed(this.b, 2);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in the open interval (0, 1), so that its logarithm is always finite. */
  uniform(): number {
    return (this.nextUint32() + 0.5) / TWO_32;
  }

  /**
   * Uniform integer in [0, n) from 32 bits: each index's probability is off by at most n/2³²
   * relative (2e-5 for 100k units), far below a bootstrap's Monte Carlo error. For hot loops.
   */
  index(n: number): number {
    return Math.floor((this.nextUint32() * n) / TWO_32);
  }

  /** Uniform integer in [0, n), from 53 random bits (no visible bias for any n we use). */
  below(n: number): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return Math.floor(((hi * 67108864 + lo) / 9007199254740992) * n);
  }
}

/** ln(k!) − Stirling's approximation (k + ½)·ln(k + 1) − (k + 1) + ½·ln(2π). */
function stirlingTail(k: number): number {
  if (k >= 10) {
    const z = k + 1;
    const z2 = z * z;
    return (1 / 12 - (1 / 360 - 1 / 1260 / z2) / z2) / z;
  }
  return logFactorial(k) - ((k + 0.5) * Math.log(k + 1) - (k + 1) + 0.5 * Math.log(2 * Math.PI));
}

/** Inversion by sequential search: exact, expected cost O(n·p), for small means. */
function binomialInversion(rng: Random, n: number, p: number): number {
  const q = 1 - p;
  const s = p / q;
  const a = (n + 1) * s;
  let r = Math.pow(q, n);
  let u = rng.uniform();
  let x = 0;
  while (u > r && x < n) {
    u -= r;
    x++;
    r *= a / x - s;
  }
  return x;
}

/**
 * Hörmann's BTRS (transformed rejection with squeeze), "The generation of binomial random
 * variates", J. Stat. Comput. Simul. 46 (1993): exact, constant expected cost, for n·p ≥ 10.
 */
function binomialBtrs(rng: Random, n: number, p: number): number {
  const spq = Math.sqrt(n * p * (1 - p));
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const r = p / (1 - p);
  const alpha = (2.83 + 5.1 / b) * spq;
  const m = Math.floor((n + 1) * p);
  for (;;) {
    const u = rng.uniform() - 0.5;
    let v = rng.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    v = Math.log((v * alpha) / (a / (us * us) + b));
    const bound =
      (m + 0.5) * Math.log((m + 1) / (r * (n - m + 1))) +
      (n + 1) * Math.log((n - m + 1) / (n - k + 1)) +
      (k + 0.5) * Math.log((r * (n - k + 1)) / (k + 1)) +
      stirlingTail(m) +
      stirlingTail(n - m) -
      stirlingTail(k) -
      stirlingTail(n - k);
    if (v <= bound) return k;
  }
}

/** An exact Binomial(n, p) draw. */
export function binomial(rng: Random, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(rng, n, 1 - p);
  return n * p < 10 ? binomialInversion(rng, n, p) : binomialBtrs(rng, n, p);
}

/**
 * Resampling `total` items with replacement from groups of identical items (counts[i] of
 * group i): the number drawn from each group is Multinomial(total, counts/total), drawn as a
 * chain of conditional binomials in O(groups) rather than O(total).
 */
export function resampleGroups(rng: Random, counts: ArrayLike<number>, total: number, out: Float64Array): void {
  let remainingDraws = total;
  let remainingItems = total;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (remainingDraws === 0 || c === 0) {
      out[i] = 0;
    } else if (c >= remainingItems) {
      out[i] = remainingDraws;
      remainingDraws = 0;
    } else {
      const k = binomial(rng, remainingDraws, c / remainingItems);
      out[i] = k;
      remainingDraws -= k;
    }
    remainingItems -= c;
  }
}
