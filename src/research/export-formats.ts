import type { Document } from 'mongodb';
import type { Graph } from './graphs';
import type { Listable } from './listings';

/** Pure writers for the researcher exports: CSV (RFC 4180), NDJSON and GEXF 1.3 (Gephi). */

export type TableFormat = 'csv' | 'ndjson';

function iso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : v === undefined || v === null ? '' : String(v);
}

function list(v: unknown): string {
  return Array.isArray(v) ? v.map(String).join(';') : '';
}

type Column = [header: string, get: (d: Document) => unknown];

export const COLUMNS: Record<Listable, Column[]> = {
  posts: [
    ['id', (d) => d._id],
    ['channel', (d) => d.channelKey],
    ['handle', (d) => d.handle],
    ['post_id', (d) => d.postId],
    ['source', (d) => d.sourceId],
    ['platform', (d) => d.platform],
    ['at', (d) => iso(d.at)],
    ['published_at', (d) => iso(d.publishedAt)],
    ['first_seen_at', (d) => iso(d.firstSeenAt)],
    ['lang', (d) => d.lang],
    ['tags', (d) => list(d.tags)],
    ['views', (d) => d.views],
    ['media', (d) => (Array.isArray(d.media) ? d.media.length : 0)],
    ['media_kinds', (d) => list(Array.isArray(d.media) ? d.media.map((m: { kind?: string }) => m.kind) : [])],
    [
      'forwarded_from',
      (d) => (d.forwardedFrom as { handle?: string; name?: string } | undefined)?.handle ?? (d.forwardedFrom as { name?: string } | undefined)?.name,
    ],
    ['reply_to', (d) => (d.replyTo as { postId?: string } | undefined)?.postId],
    ['hashtags', (d) => list(d.hashtags)],
    ['mentions', (d) => list(d.mentions)],
    ['links', (d) => list(d.links)],
    ['url', (d) => d.url],
    ['text', (d) => d.text],
  ],
  events: [
    ['id', (d) => d._id],
    ['channel', (d) => d.channelKey],
    ['handle', (d) => d.handle],
    ['source', (d) => d.sourceId],
    ['platform', (d) => d.platform],
    ['type', (d) => d.type],
    ['at', (d) => iso(d.at)],
    ['data', (d) => JSON.stringify(d.data ?? {})],
  ],
  sightings: [
    ['id', (d) => d._id],
    ['cluster', (d) => d.clusterId],
    ['media_id', (d) => d.mediaId],
    ['channel', (d) => d.channelKey],
    ['source', (d) => d.sourceId],
    ['post', (d) => d.postKey],
    ['at', (d) => iso(d.at)],
    ['matched_via', (d) => d.matchedVia],
    ['distance', (d) => d.distance],
    ['after_origin_removed', (d) => d.afterOriginRemoved],
  ],
  alerts: [
    ['id', (d) => d._id],
    ['key', (d) => d.key],
    ['kind', (d) => d.kind],
    ['rule', (d) => d.rule],
    ['to', (d) => d.to],
    ['source', (d) => d.sourceId],
    ['tags', (d) => list(d.tags)],
    ['channels', (d) => list(d.channels)],
    ['status', (d) => d.status],
    ['attempts', (d) => d.attempts],
    ['created_at', (d) => iso(d.createdAt)],
    ['sent_at', (d) => iso(d.sentAt)],
    ['subject', (d) => d.subject],
    ['last_error', (d) => d.lastError],
  ],
};

/**
 * One CSV field. Quotes when needed (RFC 4180). A field that a spreadsheet would run as a formula (starts with
 * = + - @ or a control character) gets a leading apostrophe: exports hold untrusted text from hostile channels.
 */
export function csvField(v: unknown): string {
  let s = v === undefined || v === null ? '' : v instanceof Date ? v.toISOString() : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(kind: Listable): string {
  return `${COLUMNS[kind].map(([h]) => h).join(',')}\r\n`;
}

export function csvRow(kind: Listable, d: Document): string {
  return `${COLUMNS[kind].map(([, get]) => csvField(get(d))).join(',')}\r\n`;
}

/** One NDJSON line; dates as ISO strings. */
export function ndjsonLine(d: Document): string {
  return `${JSON.stringify(d)}\n`;
}

/** A table row as short strings for the terminal. */
export function tableCells(kind: Listable, d: Document, maxText = 60): string[] {
  return COLUMNS[kind].map(([, get]) => {
    const s = String(get(d) ?? '').replace(/\s+/g, ' ');
    return s.length > maxText ? `${s.slice(0, maxText - 1)}…` : s;
  });
}

export function tableHeaders(kind: Listable): string[] {
  return COLUMNS[kind].map(([h]) => h);
}

/** Fixed-width text table. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function xml(s: string): string {
  // drop characters XML 1.0 forbids (hostile titles), then escape
  // eslint-disable-next-line no-control-regex
  const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
  return s.replace(forbidden, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** GEXF 1.3 for Gephi: directed graph, node and edge attributes, edge weights. */
export function toGexf(g: Graph, opts: { title: string; generatedAt?: Date }): string {
  const nodeAttrs = ['handle', 'status', 'watched', 'tags', 'first_seen', 'removed_at'];
  const edgeAttrKeys = [...new Set(g.edges.flatMap((e) => Object.keys(e.attrs ?? {})))].sort();
  const edgeAttrs = ['kind', 'first_at', 'last_at', ...edgeAttrKeys];
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push('<gexf xmlns="http://gexf.net/1.3" version="1.3">');
  out.push(
    `  <meta lastmodifieddate="${(opts.generatedAt ?? new Date()).toISOString().slice(0, 10)}"><creator>hydrawatch</creator><description>${xml(opts.title)}</description></meta>`,
  );
  out.push('  <graph defaultedgetype="directed" mode="static">');
  out.push('    <attributes class="node">');
  nodeAttrs.forEach((a, i) => out.push(`      <attribute id="n${i}" title="${a}" type="${a === 'watched' ? 'boolean' : 'string'}"/>`));
  out.push('    </attributes>');
  out.push('    <attributes class="edge">');
  edgeAttrs.forEach((a, i) => out.push(`      <attribute id="e${i}" title="${xml(a)}" type="string"/>`));
  out.push('    </attributes>');
  out.push('    <nodes>');
  for (const n of g.nodes) {
    const vals = [n.label, n.status, String(n.watched), n.tags.join(';'), n.firstSeenAt ?? '', n.removedAt ?? ''];
    out.push(
      `      <node id="${xml(n.id)}" label="${xml(n.label)}"><attvalues>${vals.map((v, i) => `<attvalue for="n${i}" value="${xml(v)}"/>`).join('')}</attvalues></node>`,
    );
  }
  out.push('    </nodes>');
  out.push('    <edges>');
  g.edges.forEach((e, i) => {
    const vals = [e.kind, e.firstAt ?? '', e.lastAt ?? '', ...edgeAttrKeys.map((k) => String(e.attrs?.[k] ?? ''))];
    out.push(
      `      <edge id="${i}" source="${xml(e.source)}" target="${xml(e.target)}" weight="${e.weight}" label="${xml(e.kind)}"><attvalues>${vals.map((v, j) => `<attvalue for="e${j}" value="${xml(v)}"/>`).join('')}</attvalues></edge>`,
    );
  });
  out.push('    </edges>');
  out.push('  </graph>');
  out.push('</gexf>');
  return `${out.join('\n')}\n`;
}
