/** Time buckets written as fields at insert time (no date operators in queries: portable to FerretDB). UTC. */
export interface TimeBuckets {
  hour: string; // 2026-11-24T21
  day: string; // 2026-11-24
  week: string; // 2026-W48 (ISO week)
  month: string; // 2026-11
}

export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const dayNum = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dayNum); // Thursday of this week decides the year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86400000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function timeBuckets(date: Date): TimeBuckets {
  const iso = date.toISOString();
  return { hour: iso.slice(0, 13), day: iso.slice(0, 10), week: isoWeek(date), month: iso.slice(0, 7) };
}
