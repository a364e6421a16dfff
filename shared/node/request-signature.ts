import { sign as edSign, verify as edVerify } from 'node:crypto';
import { privateKeyObject, publicKeyObject, type PrivateJwk, type PublicJwk } from './keys.ts';

/**
 * How an enrolled device authenticates a read request (pulling bundles): an Ed25519 signature
 * over method, path and a timestamp. Batches need none of this: they are signed themselves.
 */
export const DEVICE_HEADER = 'x-casebook-device';
export const TIME_HEADER = 'x-casebook-time';
export const SIGNATURE_HEADER = 'x-casebook-signature';
/** How far the device's clock may be from the server's. Freshness only; never ordering. */
export const MAX_SKEW_MS = 5 * 60 * 1000;

/** The request time header: UTC with milliseconds, e.g. 2026-06-01T12:00:00.000Z. */
export const REQUEST_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The signed text: `casebook-request/1`, the method in upper case, the request target exactly as
 * sent (path, plus `?` and the query only when there is one) and the time header, joined by LF.
 */
export function requestSigningText(method: string, pathAndQuery: string, time: string): string {
  return `casebook-request/1\n${method.toUpperCase()}\n${pathAndQuery}\n${time}`;
}

function message(method: string, pathAndQuery: string, time: string): Buffer {
  return Buffer.from(requestSigningText(method, pathAndQuery, time), 'utf8');
}

export function signRequest(key: PrivateJwk, deviceId: string, method: string, pathAndQuery: string, now: Date): Record<string, string> {
  const time = now.toISOString();
  const sig = edSign(null, message(method, pathAndQuery, time), privateKeyObject(key)).toString('base64');
  return { [DEVICE_HEADER]: deviceId, [TIME_HEADER]: time, [SIGNATURE_HEADER]: sig };
}

export function verifyRequest(key: PublicJwk, method: string, pathAndQuery: string, time: string, signature: string, now: Date): string | null {
  // One documented spelling (what toISOString writes), so an outside client knows exactly
  // which text it signs; a looser parse would accept times no Casebook client sends.
  if (!REQUEST_TIME.test(time)) return 'the request time must be UTC as YYYY-MM-DDTHH:MM:SS.sssZ';
  const t = Date.parse(time);
  if (!Number.isFinite(t)) return 'the request time is not a timestamp';
  if (Math.abs(now.getTime() - t) > MAX_SKEW_MS) return "the request is too old or the device's clock is far off";
  const sig = Buffer.from(signature, 'base64');
  if (sig.length !== 64 || sig.toString('base64') !== signature) return 'the request signature is malformed';
  return edVerify(null, message(method, pathAndQuery, time), publicKeyObject(key), sig) ? null : 'the request signature does not verify';
}
