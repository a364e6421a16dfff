/**
 * A ranking is a list of groups of tied response ids, best group first (the shape stored in
 * `answer.ranking`). These pure operations keep it a partition of the responses.
 */
export type Ranking = string[][];

/** The ranking to show: the annotator's, or (before they touch it) one response per rank in display order. */
export function effectiveRanking(ranking: Ranking | null, displayOrder: readonly string[]): Ranking {
  if (!ranking) return displayOrder.map((id) => [id]);
  // Keep it a partition even if the stored one went stale: drop unknown ids, append missing ones.
  const known = new Set(displayOrder);
  const seen = new Set<string>();
  const groups = ranking
    .map((g) => g.filter((id) => known.has(id) && !seen.has(id) && (seen.add(id), true)))
    .filter((g) => g.length > 0);
  for (const id of displayOrder) if (!seen.has(id)) groups.push([id]);
  return groups;
}

const groupOf = (r: Ranking, id: string): number => r.findIndex((g) => g.includes(id));
const without = (r: Ranking, id: string): Ranking => r.map((g) => g.filter((x) => x !== id)).filter((g) => g.length > 0);
/** Takes a response out of whatever group holds it and gives it a rank of its own at index `at` of what is left. */
const untie = (r: Ranking, id: string, at: number): Ranking => {
  const rest = without(r, id);
  rest.splice(at, 0, [id]);
  return rest;
};

/** Moves a response one place towards the top: out of its tie first, then past the group above. */
export function moveUp(r: Ranking, id: string): Ranking {
  const gi = groupOf(r, id);
  if (gi < 0) return r;
  if (r[gi]!.length > 1) return untie(r, id, gi);
  if (gi === 0) return r;
  const out = [...r];
  [out[gi - 1], out[gi]] = [out[gi]!, out[gi - 1]!];
  return out;
}

/** Moves a response one place towards the bottom: out of its tie first, then past the group below. */
export function moveDown(r: Ranking, id: string): Ranking {
  const gi = groupOf(r, id);
  if (gi < 0) return r;
  if (r[gi]!.length > 1) return untie(r, id, gi + 1);
  if (gi === r.length - 1) return r;
  const out = [...r];
  [out[gi + 1], out[gi]] = [out[gi]!, out[gi + 1]!];
  return out;
}

/** Ties a response with the group above it; if it is already tied, unties it (placing it just below). */
export function toggleTie(r: Ranking, id: string): Ranking {
  const gi = groupOf(r, id);
  if (gi < 0) return r;
  if (r[gi]!.length > 1) return untie(r, id, gi + 1);
  if (gi === 0) return r;
  const out = r.map((g) => [...g]);
  out[gi - 1]!.push(id);
  out.splice(gi, 1);
  return out;
}

/** Drag and drop: places a response on its own just above the target's group (or last). */
export function moveBefore(r: Ranking, id: string, targetId: string | null): Ranking {
  if (id === targetId) return r;
  const rest = without(r, id);
  const ti = targetId ? groupOf(rest, targetId) : -1;
  return untie(rest, id, ti < 0 ? rest.length : ti);
}

/** Rank (1-based, competition style: ties share a rank) of every response. */
export function ranks(r: Ranking): Map<string, number> {
  const out = new Map<string, number>();
  let place = 1;
  for (const g of r) {
    for (const id of g) out.set(id, place);
    place += g.length;
  }
  return out;
}
