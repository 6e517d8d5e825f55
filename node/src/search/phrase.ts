/**
 * Counts the occurrences of a phrase in one document: the positions `p` in the first list such
 * that every list `i` holds `p + i`. List `i` is `lists[i][starts[i] .. ends[i])`, ascending, so
 * both index implementations can pass their own storage without copying; `cursors` (one per list)
 * may be passed to spare an allocation per call.
 */
export function phraseFrequency(
  lists: readonly ArrayLike<number>[],
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  cursors: Int32Array = new Int32Array(lists.length),
): number {
  const n = lists.length;
  for (let i = 0; i < n; i++) cursors[i] = starts[i] as number;
  const first = lists[0] as ArrayLike<number>;
  const firstEnd = ends[0] as number;
  let count = 0;
  outer: for (let k = starts[0] as number; k < firstEnd; k++) {
    const p = first[k] as number;
    for (let i = 1; i < n; i++) {
      const list = lists[i] as ArrayLike<number>;
      const end = ends[i] as number;
      const want = p + i;
      // The cursors only move forward: the start positions are ascending.
      let c = cursors[i] as number;
      while (c < end && (list[c] as number) < want) c++;
      cursors[i] = c;
      if (c >= end) break outer;
      if (list[c] !== want) continue outer;
    }
    count++;
  }
  return count;
}

/** Merges ascending lists of positions into one ascending list without duplicates. */
export function mergePositions(lists: readonly ArrayLike<number>[]): number[] {
  if (lists.length === 1) return Array.from(lists[0] as ArrayLike<number>);
  const all: number[] = [];
  for (const l of lists) for (let i = 0; i < l.length; i++) all.push(l[i] as number);
  all.sort((a, b) => a - b);
  let w = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[w - 1]) all[w++] = all[i] as number;
  all.length = w;
  return all;
}
