import type { ReviewQueueItem } from '../../../../shared/contract/index.ts';

const PART_WORDS: Record<keyof ReviewQueueItem['parts'], string> = {
  preference: 'preference',
  strength: 'strength',
  ranking: 'ranking',
  criteria: 'scores',
  steps: 'step verdicts',
  firstError: 'first error',
  outcome: 'outcome',
  correction: 'correction',
};

/** Where the annotators part, in words ("preference, scores"), biggest first. */
export function disagreementWords(item: Pick<ReviewQueueItem, 'parts' | 'unanimous'>): string {
  if (item.unanimous) return 'all agree';
  const parts = (Object.keys(PART_WORDS) as (keyof ReviewQueueItem['parts'])[]).filter((k) => item.parts[k] > 0).sort((a, b) => item.parts[b] - item.parts[a]);
  return parts.length > 0 ? `differ on ${parts.map((p) => PART_WORDS[p]).join(', ')}` : 'all decided fields agree';
}
