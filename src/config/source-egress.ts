import { LineCounter, parseDocument } from 'yaml';
import { checkUrlStatic, type EgressPolicy } from '../net/egress/policy';
import { locate, type ConfigIssue } from './format-issues';
import type { Source } from './schema';
import { sourceEgressUrls } from '../../crawlers/registry';

/** Pure: the URLs a source makes the crawlers connect to (its platform's module says which), with their path in the source. */
export function sourceUrls(s: Source): Array<{ key: (string | number)[]; url: string }> {
  const out: Array<{ key: (string | number)[]; url: string }> = sourceEgressUrls(s).map(({ key, url }) => ({ key: [...key], url }));
  if (s.proxy) out.push({ key: ['proxy'], url: s.proxy });
  return out;
}

/**
 * The config-time egress check: a source whose URL or proxy is a non-public address literal (any spelling) or
 * `localhost`, and not in `net.allow`, is refused with its file position. Host names are resolved and checked when
 * fetched (a name's addresses can change, so that check cannot be done once here).
 */
export function sourceEgressIssues(text: string, file: string, sources: readonly Source[], policy: EgressPolicy, onlyIds?: ReadonlySet<string>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  let located: { doc: ReturnType<typeof parseDocument>; lc: LineCounter } | undefined;
  sources.forEach((s, i) => {
    if (onlyIds && !onlyIds.has(s.id)) return;
    for (const { key, url } of sourceUrls(s)) {
      const v = checkUrlStatic(policy, url);
      if (v.ok) continue;
      if (!located) {
        const lc = new LineCounter();
        located = { doc: parseDocument(text, { lineCounter: lc }), lc };
      }
      const where = locate(located.doc, located.lc, ['sources', i, ...key]);
      const what = key[key.length - 1] === 'proxy' ? 'proxy' : 'URL';
      issues.push({
        file,
        line: where.line,
        column: where.col,
        path: `sources[${i}].${key.join('.')}`,
        message: `${what} refused by the egress policy: ${v.reason}`,
        value: JSON.stringify(url),
      });
    }
  });
  return issues;
}
