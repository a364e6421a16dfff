import type { CompareAnswer } from '../domain/index.ts';
import type { Pairing } from './options.ts';

/** Why a compare answer states no order of its responses. */
export type NoOrder =
  | 'no_preference'
  | 'cannot_judge'
  | 'both_unacceptable'
  | 'tie'
  | 'unknown_response'
  | 'invalid_ranking'
  | 'preference_disagrees_with_ranking';

export type Order = { groups: string[][] } | { none: NoOrder };

/**
 * The order a compare answer states, as groups of tied response ids, best first.
 * - A full ranking is used as given; the preference must agree with its top group (a response
 *   id alone at the top, or "tie" with two or more tied at the top).
 * - Without a ranking, a preferred response is above all the others, which are unordered among
 *   themselves; a tie states no order.
 * - "Both unacceptable" and "cannot judge" state no order, whatever the ranking says.
 */
export function orderOf(answer: CompareAnswer, responseIds: readonly string[]): Order {
  const p = answer.preference;
  if (!p) return { none: 'no_preference' };
  if (p.choice === 'cannot_judge') return { none: 'cannot_judge' };
  if (p.choice === 'both_unacceptable') return { none: 'both_unacceptable' };
  const known = new Set(responseIds);
  if (answer.ranking) {
    const flat = answer.ranking.flat();
    if (flat.length !== known.size || new Set(flat).size !== flat.length || flat.some((id) => !known.has(id))) return { none: 'invalid_ranking' };
    const top = answer.ranking[0]!;
    const agrees = p.choice === 'tie' ? top.length > 1 : top.length === 1 && top[0] === p.choice;
    if (!agrees) return { none: 'preference_disagrees_with_ranking' };
    return { groups: answer.ranking.map((g) => [...g]) };
  }
  if (p.choice === 'tie') return { none: 'tie' };
  if (!known.has(p.choice)) return { none: 'unknown_response' };
  return { groups: [[p.choice], responseIds.filter((id) => id !== p.choice)] };
}

/** [better, worse] response id pairs under a pairing policy; ties never pair. */
export function pairsOf(groups: readonly (readonly string[])[], pairing: Pairing): [string, string][] {
  const pairs: [string, string][] = [];
  const cross = (a: readonly string[], b: readonly string[]) => {
    for (const x of a) for (const y of b) pairs.push([x, y]);
  };
  if (pairing === 'adjacent') {
    for (let i = 0; i + 1 < groups.length; i++) cross(groups[i]!, groups[i + 1]!);
  } else if (pairing === 'best-vs-rest') {
    for (let j = 1; j < groups.length; j++) cross(groups[0]!, groups[j]!);
  } else {
    for (let i = 0; i < groups.length; i++) for (let j = i + 1; j < groups.length; j++) cross(groups[i]!, groups[j]!);
  }
  return pairs;
}

/**
 * Unpaired labels (KTO): the top group is desirable, every other response undesirable; "both
 * unacceptable" makes every response undesirable. A tie without a ranking, or "cannot judge",
 * gives no labels.
 */
export function unpairedLabels(answer: CompareAnswer, responseIds: readonly string[]): { labels: [string, boolean][] } | { none: NoOrder } {
  if (answer.preference?.choice === 'both_unacceptable') return { labels: responseIds.map((id) => [id, false]) };
  const order = orderOf(answer, responseIds);
  if ('none' in order) return order;
  const [top, ...rest] = order.groups;
  return { labels: [...top!.map((id): [string, boolean] => [id, true]), ...rest.flat().map((id): [string, boolean] => [id, false])] };
}
