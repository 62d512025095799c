import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Settings } from '../config/schema';
import type { Store } from '../store/store';
import type { ApiToken, Principal, Role } from './auth';
import type { ReportCase } from '../core/report-case';

// The API's types (the app instance, its dependencies, the request fields auth sets): apart from server.ts, so that
// the routes import them without an import cycle (server.ts registers the routes).

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Least role a route needs; routes without it are public (health, dashboard shell, OpenAPI). */
    role?: Role;
  }
}

export interface ApiDeps {
  store: Store;
  settings: Settings;
  tokens: ApiToken[];
  /** Redis, for `/ready` (unset: not checked). */
  redis?: Redis;
  /** The stage queues the queue view (`/queues/`) shows (unset or empty: no queue view). */
  queues?: Queue[];
  /** config/sources.yaml and config/settings.yaml, edited by analysts through the API. */
  sourcesPath: string;
  settingsPath: string;
  /** Called when a case goes to `sent`/`sent_manually` through the API (src/reports/lifecycle.ts markReported). */
  onReported?: (c: ReportCase) => void | Promise<void>;
}

export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;
