/**
 * "1 batch", "2 batches", "0 tasks": a count with its noun agreeing, for every message people read
 * (UI and CLI). English's regular rules; pass the plural for anything irregular.
 */
export function count(n: number, singular: string, pluralForm?: string): string {
  return `${n} ${n === 1 ? singular : (pluralForm ?? pluralOf(singular))}`;
}

export function pluralOf(word: string): string {
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}
