import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  decodeNext,
  findCollection,
  listCollections,
  NEXT_PATTERN,
  manifestEntry,
  STIX_OBJECT_MEDIA_TYPE,
  TAXII_MEDIA_TYPE,
  taxiiObject,
  taxiiPage,
  type TaxiiCollection,
  type TaxiiPage,
} from '../../share/taxii';
import { parseBound, timelineFilterFields } from '../../research/query-filter';
import type { Api, ApiDeps } from '../types';
import { errors } from '../schemas';

/** Read-only TAXII 2.1 (docs/sharing.md): discovery, one API root, its collections, their objects and manifests. */

const API_ROOT = '/taxii2/api/';

const collectionSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  can_read: z.boolean(),
  can_write: z.boolean(),
  media_types: z.array(z.string()),
});
const envelopeSchema = z.object({ more: z.boolean(), next: z.string().optional(), objects: z.array(z.record(z.string(), z.unknown())) });
const manifestSchema = z.object({
  more: z.boolean(),
  next: z.string().optional(),
  objects: z.array(z.object({ id: z.string(), date_added: z.string(), version: z.string(), media_type: z.string() })),
});
const collectionParams = z.object({ collectionId: z.string().uuid().describe('a collection id from …/collections/') });
const objectParams = collectionParams.extend({
  objectId: z
    .string()
    .max(200)
    .regex(/^[a-z][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a STIX id: <type>--<uuid>')
    .describe('a STIX object id'),
});
const pageQuery = z
  .object({
    added_after: timelineFilterFields.from.describe('only objects added after this time (exclusive): an ISO time with zone (or a date, 00:00 UTC)'),
    limit: z.coerce.number().int().min(1).max(1000).default(100).describe('objects per page, 1–1000'),
    next: z.string().regex(NEXT_PATTERN, 'a `next` this server gave').optional().describe('the `next` of the previous page'),
  })
  .strict();

function collectionView(c: TaxiiCollection): z.infer<typeof collectionSchema> {
  return { id: c.id, title: c.title, description: c.description, can_read: true, can_write: false, media_types: [STIX_OBJECT_MEDIA_TYPE] };
}

/** The absolute URL of the API root (taxii2-client follows absolute URLs): from the Host header when it is a plain host. */
function apiRootUrl(req: FastifyRequest, deps: ApiDeps): string {
  const host =
    req.headers.host && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(req.headers.host)
      ? req.headers.host
      : `${deps.settings.api.host}:${deps.settings.api.port}`;
  return `${req.protocol}://${host}${API_ROOT}`;
}

function withDateHeaders(reply: FastifyReply, page: TaxiiPage): FastifyReply {
  const first = page.items[0];
  const last = page.items[page.items.length - 1];
  if (first && last) reply.header('x-taxii-date-added-first', first.dateAdded).header('x-taxii-date-added-last', last.dateAdded);
  return reply.type(TAXII_MEDIA_TYPE);
}

/** A TAXII route's options: researcher token, the `taxii` tag, its summary and schemas. */
function route<S extends object>(summary: string, schema: S) {
  return { config: { role: 'researcher' as const }, schema: { tags: ['taxii'], summary, ...schema }, onSend: exactMediaType };
}

/**
 * A 200 goes out as exactly `application/taxii+json;version=2.1`: fastify would write the JSON media type as
 * `…; version="2.1"; charset=utf-8`, which taxii2-client refuses (it compares the parameters as text).
 */
async function exactMediaType(_req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (reply.statusCode === 200) reply.header('content-type', TAXII_MEDIA_TYPE);
  return payload;
}

/** A page of a collection, or an answer (404, 400) already sent. */
async function pageOf(deps: ApiDeps, req: FastifyRequest, reply: FastifyReply): Promise<TaxiiPage | undefined> {
  const { collectionId } = req.params as z.output<typeof collectionParams>;
  const q = req.query as z.output<typeof pageQuery>;
  const c = await findCollection(deps.store, collectionId);
  if (!c) {
    await reply.code(404).send({ error: 'not_found', message: `no collection "${collectionId}"` });
    return undefined;
  }
  const next = q.next === undefined ? undefined : decodeNext(q.next);
  if (q.next !== undefined && !next) {
    await reply.code(400).send({ error: 'bad_request', message: 'querystring.next: not a `next` this server gave' });
    return undefined;
  }
  const opts = {
    limit: Math.min(q.limit, deps.settings.api.maxPageSize),
    ...(q.added_after ? { addedAfter: parseBound(q.added_after, 'from') } : {}),
    ...(next ? { next } : {}),
  };
  return taxiiPage(deps.store, c, opts, { tlp: deps.settings.share.tlp });
}

export function registerTaxiiRoutes(app: Api, deps: ApiDeps): void {
  const discovery = z.object({ title: z.string(), description: z.string(), default: z.string(), api_roots: z.array(z.string()) });
  app.get('/taxii2/', route('TAXII 2.1 discovery', { response: { 200: discovery, ...errors } }), async (req, reply) => {
    const root = apiRootUrl(req, deps);
    reply.type(TAXII_MEDIA_TYPE);
    return { title: 'hydrawatch TAXII 2.1', description: 'Read-only STIX 2.1 collections of hydrawatch (docs/sharing.md).', default: root, api_roots: [root] };
  });
  const apiRoot = z.object({ title: z.string(), description: z.string(), versions: z.array(z.string()), max_content_length: z.number() });
  app.get(API_ROOT, route('The TAXII API root', { response: { 200: apiRoot, ...errors } }), async (_req, reply) => {
    reply.type(TAXII_MEDIA_TYPE);
    return { title: 'hydrawatch', description: 'One collection per source tag, and all.', versions: [TAXII_MEDIA_TYPE], max_content_length: 0 };
  });
  app.get(
    `${API_ROOT}collections/`,
    route('The collections: all, and one per source tag', { response: { 200: z.object({ collections: z.array(collectionSchema) }), ...errors } }),
    async (_req, reply) => {
      reply.type(TAXII_MEDIA_TYPE);
      return { collections: (await listCollections(deps.store)).map(collectionView) };
    },
  );
  app.get(
    `${API_ROOT}collections/:collectionId/`,
    route('One collection', { params: collectionParams, response: { 200: collectionSchema, ...errors } }),
    async (req, reply) => {
      const c = await findCollection(deps.store, req.params.collectionId);
      if (!c) return reply.code(404).send({ error: 'not_found', message: `no collection "${req.params.collectionId}"` });
      reply.type(TAXII_MEDIA_TYPE);
      return collectionView(c);
    },
  );
  registerTaxiiObjectRoutes(app, deps);
}

function registerTaxiiObjectRoutes(app: Api, deps: ApiDeps): void {
  const paged = { params: collectionParams, querystring: pageQuery };
  app.get(
    `${API_ROOT}collections/:collectionId/objects/`,
    route("A page of a collection's STIX objects, oldest first (added_after, limit, next)", { ...paged, response: { 200: envelopeSchema, ...errors } }),
    async (req, reply) => {
      const page = await pageOf(deps, req, reply);
      if (!page) return reply;
      return withDateHeaders(reply, page).send({ more: page.more, ...(page.next ? { next: page.next } : {}), objects: page.items.map((i) => i.object) });
    },
  );
  app.get(
    `${API_ROOT}collections/:collectionId/manifest/`,
    route("A page of a collection's manifest: ids, dates added, versions", { ...paged, response: { 200: manifestSchema, ...errors } }),
    async (req, reply) => {
      const page = await pageOf(deps, req, reply);
      if (!page) return reply;
      return withDateHeaders(reply, page).send({ more: page.more, ...(page.next ? { next: page.next } : {}), objects: page.items.map(manifestEntry) });
    },
  );
  app.get(
    `${API_ROOT}collections/:collectionId/objects/:objectId/`,
    route('One STIX object of a collection (one a page has served)', { params: objectParams, response: { 200: envelopeSchema, ...errors } }),
    async (req, reply) => {
      const c = await findCollection(deps.store, req.params.collectionId);
      if (!c) return reply.code(404).send({ error: 'not_found', message: `no collection "${req.params.collectionId}"` });
      const item = await taxiiObject(deps.store, c, req.params.objectId, { tlp: deps.settings.share.tlp });
      if (!item) return reply.code(404).send({ error: 'not_found', message: `no object "${req.params.objectId}" in collection "${c.title}"` });
      return withDateHeaders(reply, { more: false, items: [item] }).send({ more: false, objects: [item.object] });
    },
  );
}
