/**
 * Pairing the rows of two traces so that an edit does not break them apart. Two
 * steps: rows with the same exact key pair first (same kind, same `file:line:col`,
 * same enclosing function and callee); the rest pair inside their group (same kind,
 * file, enclosing function and callee) by order, so code moved down a few lines, or
 * up, still pairs each site with its old self. When a group has a different number of
 * rows on the two sides (a site added or removed), the rows are aligned in order,
 * skipping the rows that fit worst: their line moved furthest from the shift the rest
 * of the file saw. Pure, no Node.
 */
import type { Site } from '../model-types';

export interface Pairable {
  /** Rows with equal exact keys are the same row. */
  exact: string;
  /** Rows that may pair by order when their exact keys differ. */
  group: string;
  file: string;
  line: number;
  col: number;
}

export interface Pairing {
  /** Indices into the A and B lists. */
  pairs: [number, number][];
  onlyA: number[];
  onlyB: number[];
}

/** Keys of an await site (or any site with a kind): the pairing rules of cli.md. */
export function siteKeys(kind: string, site: Site | undefined): Pairable {
  if (!site) return { exact: `${kind}\0?`, group: `${kind}\0?`, file: '', line: 0, col: 0 };
  const fn = site.fn ?? '', label = site.label ?? '';
  return {
    exact: `${kind}\0${site.file}:${site.line}:${site.col}\0${fn}\0${label}`,
    group: `${kind}\0${site.file}\0${fn}\0${label}`,
    file: site.file, line: site.line, col: site.col,
  };
}

const byPosition = (x: Pairable, y: Pairable): number => x.line - y.line || x.col - y.col;

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Monotone alignment of `a` and `b` (both in position order, `a` the shorter or equal)
 * pairing every row of `a` with a distinct row of `b`, least total |Δline − shift|.
 */
function align(a: Pairable[], b: Pairable[], shift: number): [number, number][] {
  const n = a.length, m = b.length;
  // cost[i][j]: best cost pairing a[0..i) within b[0..j).
  const cost: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(Infinity));
  for (let j = 0; j <= m; j++) cost[0][j] = 0;
  for (let i = 1; i <= n; i++) {
    for (let j = i; j <= m; j++) {
      const skip = cost[i][j - 1];
      const take = cost[i - 1][j - 1] + Math.abs(b[j - 1].line - a[i - 1].line - shift);
      cost[i][j] = Math.min(skip, take);
    }
  }
  const out: [number, number][] = [];
  for (let i = n, j = m; i > 0; j--) {
    if (cost[i][j] !== cost[i][j - 1] || j === i) { out.push([i - 1, j - 1]); i--; }
  }
  return out.reverse();
}

export function pairItems(as: readonly Pairable[], bs: readonly Pairable[]): Pairing {
  const pairedA = new Set<number>(), pairedB = new Set<number>();
  const pairs: [number, number][] = [];
  const exactB = new Map<string, number[]>();
  bs.forEach((b, j) => { const l = exactB.get(b.exact); if (l) l.push(j); else exactB.set(b.exact, [j]); });
  as.forEach((a, i) => {
    const j = exactB.get(a.exact)?.shift();
    if (j === undefined) return;
    pairs.push([i, j]); pairedA.add(i); pairedB.add(j);
  });

  const groups = new Map<string, { a: number[]; b: number[] }>();
  const groupOf = (key: string) => { let g = groups.get(key); if (!g) { g = { a: [], b: [] }; groups.set(key, g); } return g; };
  as.forEach((a, i) => { if (!pairedA.has(i)) groupOf(a.group).a.push(i); });
  bs.forEach((b, j) => { if (!pairedB.has(j)) groupOf(b.group).b.push(j); });
  const order = (list: number[], items: readonly Pairable[]) => list.sort((x, y) => byPosition(items[x], items[y]));

  // Equal-sized groups pair by order; they also tell how far each file's lines moved.
  const shifts = new Map<string, number[]>();
  const uneven: { a: number[]; b: number[] }[] = [];
  for (const g of groups.values()) {
    if (g.a.length === 0 || g.b.length === 0) continue;
    order(g.a, as); order(g.b, bs);
    if (g.a.length !== g.b.length) { uneven.push(g); continue; }
    g.a.forEach((i, k) => {
      const j = g.b[k];
      pairs.push([i, j]); pairedA.add(i); pairedB.add(j);
      const file = as[i].file;
      const l = shifts.get(file) ?? []; l.push(bs[j].line - as[i].line); shifts.set(file, l);
    });
  }
  for (const g of uneven) {
    const shift = median(shifts.get(as[g.a[0]].file) ?? []);
    const swap = g.a.length > g.b.length;
    const [short, long] = swap ? [g.b.map((j) => bs[j]), g.a.map((i) => as[i])] : [g.a.map((i) => as[i]), g.b.map((j) => bs[j])];
    for (const [s, l] of align(short, long, swap ? -shift : shift)) {
      const i = swap ? g.a[l] : g.a[s], j = swap ? g.b[s] : g.b[l];
      pairs.push([i, j]); pairedA.add(i); pairedB.add(j);
    }
  }
  pairs.sort((x, y) => x[0] - y[0]);
  return {
    pairs,
    onlyA: as.map((_, i) => i).filter((i) => !pairedA.has(i)),
    onlyB: bs.map((_, j) => j).filter((j) => !pairedB.has(j)),
  };
}
