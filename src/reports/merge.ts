import type { CaseEvidence, CaseKind, ReportCase, ReportPlatform, ReportTarget } from '../core/report-case';

/** A case to open (from an alert a reporting rule matched, or an analyst's request), before it meets the store. */
export interface CaseInput {
  platform: ReportPlatform;
  kind: CaseKind;
  /** `rule:<name>` or `token:<name>`. */
  openedBy: string;
  /** What opened it (the alert key, or the analyst's request): merging the same key twice is a no-op. */
  key: string;
  sourceIds: string[];
  tags: string[];
  /** The first is the primary target (the case's `_id`). */
  targets: ReportTarget[];
  evidence: CaseEvidence;
  at: Date;
}

/** Pure: a new draft case. `id`: the primary target's id, or a suffixed one when a closed case holds that id. */
export function newCase(input: CaseInput, id: string): ReportCase {
  return {
    _id: id,
    platform: input.platform,
    kind: input.kind,
    state: 'draft',
    openedBy: input.openedBy,
    sourceIds: [...new Set(input.sourceIds)],
    tags: [...new Set(input.tags)],
    targets: unionTargets([], input.targets),
    evidence: input.evidence,
    history: [{ state: 'draft', at: input.at, by: input.openedBy, note: `opened (${input.kind})` }],
    createdAt: input.at,
    updatedAt: input.at,
    day: input.at.toISOString().slice(0, 10),
    keys: [input.key],
  };
}

function unionTargets(a: readonly ReportTarget[], b: readonly ReportTarget[]): ReportTarget[] {
  const byId = new Map<string, ReportTarget>();
  for (const t of [...a, ...b]) if (!byId.has(t.id)) byId.set(t.id, t);
  return [...byId.values()];
}

/** Pure: the union of two cases' evidence (the first's facts win where both have one; distances and signals merge). */
export function mergeEvidence(a: CaseEvidence, b: CaseEvidence): CaseEvidence {
  const out: CaseEvidence = { ...b, ...a };
  if (a.score !== undefined || b.score !== undefined) out.score = Math.max(a.score ?? 0, b.score ?? 0);
  if (a.signals || b.signals) out.signals = { ...b.signals, ...a.signals };
  if (a.pdqDistances || b.pdqDistances) out.pdqDistances = [...new Set([...(a.pdqDistances ?? []), ...(b.pdqDistances ?? [])])];
  const notes = [...new Set([a.note, b.note].filter((n): n is string => Boolean(n)))];
  if (notes.length) out.note = notes.join('\n');
  else delete out.note;
  return out;
}

/**
 * Pure: `input` merged into the open case `c` (history step `merged`, union of targets, evidence, sources and tags).
 * Undefined when the same key was merged before (a retried alert or a repeated request changes nothing).
 */
export function mergeInto(c: ReportCase, input: CaseInput): ReportCase | undefined {
  const keys = c.keys ?? [];
  if (keys.includes(input.key)) return undefined;
  const added = input.targets.filter((t) => !c.targets.some((x) => x.id === t.id)).map((t) => t.id);
  return {
    ...c,
    targets: unionTargets(c.targets, input.targets),
    evidence: mergeEvidence(c.evidence, input.evidence),
    sourceIds: [...new Set([...c.sourceIds, ...input.sourceIds])],
    tags: [...new Set([...c.tags, ...input.tags])],
    keys: [...keys, input.key],
    updatedAt: input.at,
    history: [
      ...c.history,
      { state: 'merged', at: input.at, by: input.openedBy, note: `${input.kind}${added.length ? `: added ${added.join(', ')}` : ': same targets'}` },
    ],
  };
}
