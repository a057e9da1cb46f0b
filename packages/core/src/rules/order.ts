/**
 * Of items that should appear in increasing `at` order, the indexes (`i`) of the longest run
 * already in order: the others are the ones that moved.
 */
export function longestIncreasing(items: readonly { at: number; i: number }[]): Set<number> {
  const best: number[] = items.map(() => 1);
  const prev: number[] = items.map(() => -1);
  for (let k = 0; k < items.length; k++) {
    for (let j = 0; j < k; j++) {
      if (items[j]!.at < items[k]!.at && best[j]! + 1 > best[k]!) {
        best[k] = best[j]! + 1;
        prev[k] = j;
      }
    }
  }
  let end = best.indexOf(Math.max(0, ...best));
  const keep = new Set<number>();
  while (end !== -1) {
    keep.add(items[end]!.i);
    end = prev[end]!;
  }
  return keep;
}
