/**
 * Media types the generated OpenAPI document cannot learn from the zod route schemas: the exports stream CSV or
 * NDJSON, and the graph routes answer GEXF on `format=gexf`. Added to each route's 200 response (pure).
 */
const TEXT = { type: 'string' } as const;

const EXTRA_200: Array<{ path: RegExp; types: Record<string, unknown>; replaceJson: boolean }> = [
  // the table exports (not the MISP export: JSON, documented by its zod schema)
  { path: /^\/api\/v1\/export\/(?!misp$)[a-z]+$/, types: { 'text/csv': { schema: TEXT }, 'application/x-ndjson': { schema: TEXT } }, replaceJson: true },
  { path: /^\/api\/v1\/(network|lineage)$/, types: { 'application/gexf+xml': { schema: TEXT } }, replaceJson: false },
];

type Paths = Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> } | undefined> | undefined>;

export function addMediaTypes<T extends { paths?: unknown }>(doc: T): T {
  for (const [path, ops] of Object.entries((doc.paths ?? {}) as Paths)) {
    const extra = EXTRA_200.find((e) => e.path.test(path));
    if (!extra) continue;
    const ok = ops?.get?.responses?.['200'];
    if (!ok) continue;
    ok.content = { ...(extra.replaceJson ? {} : (ok.content ?? {})), ...extra.types };
  }
  return doc;
}
