/** "did you mean ...?" for a misspelled name: the closest known name within a typo's reach, if any. */

/** Edits (insert, delete, substitute, swap two neighbours) between two strings: optimal string alignment distance. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The known name `name` is most likely a typo of: case-insensitively within 1 edit for short names, 2 from five
 * characters on. Undefined when nothing is that close, so an unrelated name gets no misleading suggestion.
 */
export function closest(name: string, known: Iterable<string>): string | undefined {
  const reach = name.length >= 5 ? 2 : 1;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= reach && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}
