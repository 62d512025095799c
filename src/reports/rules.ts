import type { ReportingSettings } from '../config/reporting-schema';
import { REPORT_RULE_KINDS } from '../config/reporting-schema';

export type ReportRuleKind = (typeof REPORT_RULE_KINDS)[number];

/** What a reporting rule looks at: the alert's kind, source and tags. */
export interface RuleSubject {
  kind: string;
  sourceId: string;
  tags: readonly string[];
}

export function isReportRuleKind(kind: string): kind is ReportRuleKind {
  return (REPORT_RULE_KINDS as readonly string[]).includes(kind);
}

/** Pure: the reporting rules that open a case for this alert (like alert rules: kind, and tags/sources when given). */
export function matchingReportRules(d: RuleSubject, rules: ReportingSettings['rules']): ReportingSettings['rules'] {
  if (!isReportRuleKind(d.kind)) return [];
  const kind = d.kind;
  return rules.filter(
    (r) =>
      r.kinds.includes(kind) && (r.tags.length === 0 || r.tags.some((t) => d.tags.includes(t))) && (r.sources.length === 0 || r.sources.includes(d.sourceId)),
  );
}
