import { addMediaTypes } from './openapi-media-types';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { ConfigError, formatIssue } from '../config/format-issues';
import { ConfigEditError } from '../config/edit-config';
import { NO_CONTROL_CHARS, QueryInputError } from '../research/query-filter';
import { allows, authenticate, type Role } from './auth';
import { AuthThrottle } from './auth-throttle';
import { registerTimelineRoutes } from './routes/timelines';
import { registerTrendRoutes } from './routes/trends';
import { registerChannelRoutes } from './routes/channels';
import { registerGraphRoutes } from './routes/graphs';
import { registerClusterRoutes } from './routes/clusters';
import { registerWatchlistRoutes } from './routes/watchlist';
import { registerDashboardRoutes } from './routes/dashboard';
import { registerResurfacingRoutes } from './routes/resurfacings';
import { registerOpsRoutes } from './routes/ops';
import { registerScorecardRoutes } from './routes/report-scorecard';
import { registerReportRoutes } from './routes/reports';
import { registerStixRoutes } from './routes/stix';
import { registerTaxiiRoutes } from './routes/taxii';
import { registerWebhookRoutes } from './routes/webhooks';
import { registerMispRoutes } from './routes/share';
import { registerHashLookupRoutes } from './routes/hash-lookup';
import { QUEUE_BOARD_PATH, registerQueueBoard } from './queue-board';
import type { Api, ApiDeps } from './types';
import { sendMethodNotAllowed, trackMethods } from './method-not-allowed';

export type { Api, ApiDeps } from './types';

/** Turns a validation error into "querystring.limit: Too big: expected number to be <=1000". */
function validationMessage(err: FastifyError): string {
  const v = err.validation ?? [];
  if (!v.length) return err.message;
  return v
    .map((i) => {
      const where = `${err.validationContext ?? 'request'}${i.instancePath ? i.instancePath.replace(/\//g, '.') : ''}`;
      const extra = (i.params as { issue?: { keys?: string[] } } | undefined)?.issue?.keys;
      return `${where}: ${i.message ?? 'invalid'}${extra?.length ? ` (${extra.join(', ')})` : ''}`;
    })
    .join('; ');
}

/** The OpenAPI 3 document generated from the route schemas (the queue view's own routes left out). */
async function registerOpenApi(app: Api): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'hydrawatch researcher API',
        version: '1',
        description:
          'Timelines, trends, graphs and exports of the channels hydrawatch watches. Send `Authorization: Bearer <token>`: researcher tokens read, analyst tokens also edit the watch list and alert rules.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // the queue view's own routes (bull-board UI and its JSON) are not part of the researcher API document
    transform: (doc) => (doc.url.startsWith(QUEUE_BOARD_PATH) ? { schema: { ...doc.schema, hide: true }, url: doc.url } : jsonSchemaTransform(doc)),
    transformObject: (doc) => ('openapiObject' in doc ? addMediaTypes(doc.openapiObject) : doc.swaggerObject),
  });
}

type Authorize = (req: FastifyRequest, reply: FastifyReply, need: Role) => Promise<boolean>;

/** Checks the token for a route that needs `need`; false when it has answered 401, 403 or 429 itself (wrong tokens are throttled per address). */
function tokenCheck(deps: ApiDeps): Authorize {
  const throttle = new AuthThrottle(deps.settings.api.authFailures);
  return async (req, reply, need) => {
    const presented = req.headers.authorization !== undefined;
    const waitMs = presented ? throttle.blockedForMs(req.ip) : 0;
    if (waitMs > 0) {
      await reply
        .code(429)
        .header('retry-after', String(Math.ceil(waitMs / 1000)))
        .send({ error: 'too_many_requests', message: `too many wrong API tokens from ${req.ip}; try again in ${Math.ceil(waitMs / 1000)} s` });
      return false;
    }
    const p = authenticate(req.headers.authorization, deps.tokens);
    if (!p) {
      if (presented) throttle.recordFailure(req.ip);
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'unauthorized', message: 'send "Authorization: Bearer <token>" with a valid API token' });
      return false;
    }
    if (!allows(p, need)) {
      await reply.code(403).send({ error: 'forbidden', message: `this needs an ${need} token; "${p.name}" is a ${p.role}` });
      return false;
    }
    req.principal = p;
    return true;
  };
}

/** Every error as `{ error, message }`: 400 for bad input, 422 for a rejected config edit, 503 when the store is down. */
function registerErrorAnswers(app: Api, allowedMethods: ReturnType<typeof trackMethods>): void {
  app.setErrorHandler(async (err: FastifyError, _req, reply) => {
    if (err.validation) return reply.code(400).send({ error: 'bad_request', message: validationMessage(err) });
    if (err instanceof QueryInputError) return reply.code(400).send({ error: 'bad_request', message: err.message });
    if (err instanceof ConfigError)
      return reply
        .code(422)
        .send({ error: 'invalid_config', message: 'the change was rejected; the config is unchanged', issues: err.issues.map(formatIssue) });
    if (err instanceof ConfigEditError) return reply.code(err.status).send({ error: err.status === 404 ? 'not_found' : 'conflict', message: err.message });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return reply.code(err.statusCode).send({ error: 'bad_request', message: err.message });
    const name = (err as Error).name;
    if (/Mongo|StoreUnavailable/.test(name)) return reply.code(503).send({ error: 'store_unavailable', message: `database unavailable: ${err.message}` });
    return reply.code(500).send({ error: 'internal', message: err.message });
  });
  app.setNotFoundHandler(async (req, reply) => {
    if (await sendMethodNotAllowed(req, reply, allowedMethods(req))) return reply;
    return reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
}

/** The API's routes, one register function per concern (src/api/routes/). */
function registerRoutes(app: Api, deps: ApiDeps): void {
  registerTimelineRoutes(app, deps);
  registerTrendRoutes(app, deps);
  registerChannelRoutes(app, deps);
  registerGraphRoutes(app, deps);
  registerClusterRoutes(app, deps);
  registerResurfacingRoutes(app, deps);
  registerWatchlistRoutes(app, deps);
  registerScorecardRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerStixRoutes(app, deps);
  registerTaxiiRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerMispRoutes(app, deps);
  registerHashLookupRoutes(app, deps);
  registerDashboardRoutes(app);
}

/**
 * The researcher REST API (fastify): timelines, trends, graphs, exports, the watch list and alert rules, the
 * dashboard and an OpenAPI 3 document generated from the route schemas at /openapi.json.
 */
export async function buildApi(deps: ApiDeps): Promise<Api> {
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024, routerOptions: { maxParamLength: 4000 } }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const allowedMethods = trackMethods(app);
  await registerOpenApi(app);
  const authorize = tokenCheck(deps);
  app.addHook('onRequest', async (req, reply) => {
    const need = req.routeOptions.config?.role;
    if (!need) return undefined;
    return (await authorize(req, reply, need)) ? undefined : reply;
  });
  // A safety net under the route schemas: a control character in any query or path value is a 400 naming the
  // parameter, before a handler can take it to the store (PostgreSQL under FerretDB refuses NUL: a 503 otherwise).
  app.addHook('preValidation', async (req, reply) => {
    decodeTwiceEncodedParams(req.params);
    const bad = controlCharParam('querystring', req.query) ?? controlCharParam('params', req.params);
    if (!bad) return undefined;
    return reply.code(400).send({ error: 'bad_request', message: `${bad}: control characters are not allowed` });
  });
  registerErrorAnswers(app, allowedMethods);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  registerOpsRoutes(app, deps);
  if (deps.queues?.length) await registerQueueBoard(app, deps.queues, authorize);
  registerRoutes(app, deps);
  await app.ready();
  return app;
}

/** The first `where.name` whose value (or one of its values) holds a control character, or undefined. */
function controlCharParam(where: string, values: unknown): string | undefined {
  if (!values || typeof values !== 'object') return undefined;
  for (const [name, v] of Object.entries(values as Record<string, unknown>)) {
    const list = Array.isArray(v) ? v : [v];
    if (list.some((x) => typeof x === 'string' && !NO_CONTROL_CHARS.test(x))) return `${where}.${name}`;
  }
  return undefined;
}

/**
 * Some HTTP clients encode a path segment twice (`mc%253A1a2b` for the cluster id `mc:1a2b`; schemathesis 3.39 does).
 * No key of this API holds a `%` (every path key's pattern excludes it), so a path value that still holds a
 * percent-escape after the router's decoding is decoded once more before validation; one that does not decode is
 * left for validation to refuse.
 */
function decodeTwiceEncodedParams(params: unknown): void {
  if (!params || typeof params !== 'object') return;
  const p = params as Record<string, unknown>;
  for (const [k, v] of Object.entries(p)) {
    if (typeof v !== 'string' || !/%[0-9A-Fa-f]{2}/.test(v)) continue;
    try {
      p[k] = decodeURIComponent(v);
    } catch {
      // not a valid escape: validation answers 400
    }
  }
}
