/**
 * Stable pseudonyms for blind curation: "Annotator A", "Annotator B"… per task, in an order
 * that depends on the task and the annotator ids only (not on names, not on who submitted
 * first), so a reviewer cannot infer who is who from the letter, and the same annotator keeps
 * the same letter on that task across calls and after the decision.
 */

/** FNV-1a, 32-bit: deterministic, no crypto needed (this hides names from a glance, not from an attacker with the store). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function letters(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

export function pseudonyms(bundleId: string, taskId: string, annotatorIds: readonly string[]): Map<string, string> {
  const order = [...new Set(annotatorIds)].sort((a, b) => fnv1a(`${bundleId}\u0000${taskId}\u0000${a}`) - fnv1a(`${bundleId}\u0000${taskId}\u0000${b}`) || a.localeCompare(b));
  return new Map(order.map((id, i) => [id, `Annotator ${letters(i)}`]));
}
