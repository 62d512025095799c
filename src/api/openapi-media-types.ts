/**
 * Media types the generated OpenAPI document cannot learn from the zod route schemas: the exports stream CSV or
 * NDJSON, the graph routes answer GEXF on `format=gexf`, and report packs plain text or HTML (`format=text|html`).
 * Added to each route's 200 response (pure).
 */
const TEXT = { type: 'string' } as const;
/** A STIX 2.1 bundle (docs/sharing.md): JSON, streamed. */
const STIX_BUNDLE = {
  type: 'object',
  required: ['type', 'id', 'objects'],
  properties: { type: { type: 'string', enum: ['bundle'] }, id: { type: 'string' }, objects: { type: 'array', items: { type: 'object' } } },
} as const;

const EXTRA_200: Array<{ path: RegExp; types: Record<string, unknown>; replaceJson: boolean; jsonAs?: string }> = [
  // TAXII 2.1 answers its own media type, with the JSON schema of the route
  { path: /^\/taxii2\//, types: {}, replaceJson: true, jsonAs: 'application/taxii+json;version=2.1' },
  { path: /^\/api\/v1\/export\/stix$/, types: { 'application/stix+json;version=2.1': { schema: STIX_BUNDLE } }, replaceJson: true },
  { path: /^\/api\/v1\/export\/(?!misp$)[a-z]+$/, types: { 'text/csv': { schema: TEXT }, 'application/x-ndjson': { schema: TEXT } }, replaceJson: true },
  { path: /^\/api\/v1\/(network|lineage)$/, types: { 'application/gexf+xml': { schema: TEXT } }, replaceJson: false },
  // the scorecard as JSON or CSV; the transparency report as printable HTML or Markdown
  { path: /^\/api\/v1\/reports\/scorecard$/, types: { 'text/csv': { schema: TEXT } }, replaceJson: false },
  { path: /^\/api\/v1\/reports\/transparency$/, types: { 'text/html': { schema: TEXT }, 'text/markdown': { schema: TEXT } }, replaceJson: true },
  {
    path: /^\/api\/v1\/reports\/cases\/\{id\}\/pack$/,
    types: { 'text/plain': { schema: TEXT }, 'application/json': { schema: TEXT }, 'text/html': { schema: TEXT } },
    replaceJson: true,
  },
];

type Paths = Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> } | undefined> | undefined>;

export function addMediaTypes<T extends { paths?: unknown }>(doc: T): T {
  for (const [path, ops] of Object.entries((doc.paths ?? {}) as Paths)) {
    const extra = EXTRA_200.find((e) => e.path.test(path));
    if (!extra) continue;
    const ok = ops?.get?.responses?.['200'];
    if (!ok) continue;
    const json = ok.content?.['application/json'];
    ok.content = { ...(extra.replaceJson ? {} : (ok.content ?? {})), ...extra.types, ...(extra.jsonAs && json ? { [extra.jsonAs]: json } : {}) };
  }
  return doc;
}
