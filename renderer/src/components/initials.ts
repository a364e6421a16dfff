/** Titles and honorifics that say nothing about who someone is: skipped when making initials. */
const HONORIFICS = new Set(['dr', 'prof', 'professor', 'mr', 'mrs', 'ms', 'mx', 'miss', 'sir', 'dame', 'rev', 'revd', 'fr', 'sr', 'jr', 'mister']);

/**
 * The avatar's initials: the first letters of the first and last names ("Dr. Amara Okafor" → "AO"),
 * honorifics and bracketed or post-nominal bits skipped, one letter for a single name.
 */
export function initials(displayName: string): string {
  const words = displayName
    .replace(/\([^)]*\)/g, ' ')
    .split(/[\s,]+/)
    .map((w) => w.replace(/[^\p{L}\p{N}'-]/gu, ''))
    .filter((w) => w !== '' && !HONORIFICS.has(w.toLowerCase().replace(/\.$/, '')));
  const first = words[0];
  if (!first) return displayName.trim().charAt(0).toUpperCase() || '?';
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  const letter = (w: string): string => (Array.from(w.replace(/^['-]+/, ''))[0] ?? '').toUpperCase();
  return letter(first) + (last ? letter(last) : '');
}
