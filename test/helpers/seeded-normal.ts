/** Reproducible normal samples for drift tests (mulberry32 + Box–Muller). */
export function seededNormal(seed: number, count: number, mean = 0, sd = 1): number[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => {
    const u = 1 - random();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  });
}

/** A CSV text with one column per entry of `columns` (all the same length). */
export function csvText(columns: Record<string, readonly (number | string)[]>): string {
  const names = Object.keys(columns);
  const rows = columns[names[0]!]!.length;
  const lines = [names.join(",")];
  for (let i = 0; i < rows; i++) lines.push(names.map((n) => String(columns[n]![i])).join(","));
  return `${lines.join("\n")}\n`;
}
