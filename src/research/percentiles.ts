/** Percentiles in TypeScript (MongoDB/FerretDB have no portable percentile operator). Nearest-rank on sorted data. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface Distribution {
  count: number;
  min?: number;
  p25?: number;
  p50?: number;
  p75?: number;
  p90?: number;
  max?: number;
  mean?: number;
}

export function distribution(values: readonly number[]): Distribution {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return { count: 0 };
  return {
    count: s.length,
    min: s[0],
    p25: percentile(s, 25),
    p50: percentile(s, 50),
    p75: percentile(s, 75),
    p90: percentile(s, 90),
    max: s[s.length - 1],
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}
