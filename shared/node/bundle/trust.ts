import type { PublicJwk } from '../keys.ts';

/**
 * A key this workstation accepts bundles from. A key may be limited to bundle ids with a
 * given prefix: the sample key is trusted for `sample.` bundles only.
 */
export interface TrustedKey {
  jwk: PublicJwk;
  label: string;
  bundlePrefix: string | null;
}

export function keyMayAuthorise(key: TrustedKey, bundleId: string): boolean {
  return key.bundlePrefix === null || bundleId.startsWith(key.bundlePrefix);
}
