import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { addSource, removeSource, replaceSource, setAlertRules } from '../../config/edit-config';
import { ConfigError, formatIssue } from '../../config/format-issues';
import { loadSettings } from '../../config/load-settings';
import { loadSourcesFile } from '../../config/load-sources';
import { listAutoSources } from '../../store/repos/auto-sources';
import { latestConfigChanges, recordConfigChange, type ConfigChangeDoc } from '../../store/repos/config-changes';
import type { Api, ApiDeps } from '../types';
import { docSchema, errors, keyParam } from '../schemas';
import { compilePolicy } from '../../net/egress/policy';

const sourceBody = z
  .record(z.string(), z.unknown())
  .describe('one source as in config/sources.yaml (docs/config-reference.md): id, platform, handle or url, schedule, tags, language, rateLimit, options…');
const idParam = z.object({ id: keyParam(64) });
const ruleBody = z
  .object({ rules: z.array(z.record(z.string(), z.unknown())).describe('alerts.rules of settings.yaml: name, to, kinds, tags, sources, digest') })
  .strict();
const editErrors = { ...errors, 409: errors[404], 422: errors[400] };

/** Who changed the watch list or the alert rules, and when (append-only audit trail). */
async function audit(deps: ApiDeps, by: string | undefined, action: ConfigChangeDoc['action'], target: string, value?: unknown): Promise<void> {
  const at = new Date();
  await recordConfigChange(deps.store, {
    _id: `chg:${at.toISOString()}:${randomBytes(4).toString('hex')}`,
    at,
    by: by ?? 'unknown',
    action,
    target,
    ...(value !== undefined ? { value } : {}),
  });
}

/**
 * The watch list and alert rules. Reads: researcher tokens. Edits: analyst tokens; they rewrite config/sources.yaml
 * or the alerts.rules of config/settings.yaml (validated, atomic, comments kept) and running schedulers and
 * workers pick them up without a restart.
 */
export function registerWatchlistRoutes(app: Api, deps: ApiDeps): void {
  registerSourceRoutes(app, deps);
  registerAlertRuleRoutes(app, deps);
}

/** GET/POST /api/v1/sources, PUT/DELETE /api/v1/sources/:id. */
function registerSourceRoutes(app: Api, deps: ApiDeps): void {
  /** Sources added or replaced here must pass the egress policy (net.allow) the crawlers run with. */
  const egress = compilePolicy(deps.settings.net);
  app.get(
    '/api/v1/sources',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['watch list'],
        summary: 'The watch list: sources from config/sources.yaml and successors added by resurface.autoWatch',
        response: { 200: z.object({ sources: z.array(docSchema), auto: z.array(docSchema), configErrors: z.array(z.string()) }), ...errors },
      },
    },
    async () => {
      let sources: Record<string, unknown>[] = [];
      let configErrors: string[] = [];
      try {
        sources = (await loadSourcesFile(deps.sourcesPath)) as unknown as Record<string, unknown>[];
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        configErrors = err.issues.map(formatIssue);
      }
      const auto = await listAutoSources(deps.store);
      return { sources, auto: auto as unknown as Record<string, unknown>[], configErrors };
    },
  );

  app.post(
    '/api/v1/sources',
    {
      config: { role: 'analyst' },
      schema: { tags: ['watch list'], summary: 'Add a source (analysts)', body: sourceBody, response: { 201: docSchema, ...editErrors } },
    },
    async (req, reply) => {
      const added = await addSource(deps.sourcesPath, req.body, { egress });
      await audit(deps, req.principal?.name, 'source_added', added.id, req.body);
      return reply.code(201).send(added as unknown as Record<string, unknown>);
    },
  );

  app.put(
    '/api/v1/sources/:id',
    {
      config: { role: 'analyst' },
      schema: { tags: ['watch list'], summary: 'Replace a source (analysts)', params: idParam, body: sourceBody, response: { 200: docSchema, ...editErrors } },
    },
    async (req) => {
      const replaced = await replaceSource(deps.sourcesPath, req.params.id, req.body, { egress });
      await audit(deps, req.principal?.name, 'source_replaced', replaced.id, req.body);
      return replaced as unknown as Record<string, unknown>;
    },
  );

  app.delete(
    '/api/v1/sources/:id',
    {
      config: { role: 'analyst' },
      schema: {
        tags: ['watch list'],
        summary: 'Remove a source from the watch list (analysts); its timelines are kept',
        params: idParam,
        response: { 204: z.null(), ...editErrors },
      },
    },
    async (req, reply) => {
      await removeSource(deps.sourcesPath, req.params.id);
      await audit(deps, req.principal?.name, 'source_removed', req.params.id);
      return reply.code(204).send(null);
    },
  );
}

/** GET/PUT /api/v1/alert-rules and the audit trail of edits, GET /api/v1/config-changes. */
function registerAlertRuleRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/api/v1/alert-rules',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['alerts'],
        summary: 'Alert rules (recipients by alert kind, tag or source)',
        response: { 200: z.object({ rules: z.array(docSchema) }), ...errors },
      },
    },
    async () => ({ rules: loadSettings(deps.settingsPath).alerts.rules as unknown as Record<string, unknown>[] }),
  );

  app.put(
    '/api/v1/alert-rules',
    {
      config: { role: 'analyst' },
      schema: {
        tags: ['alerts'],
        summary: 'Replace the alert rules (analysts)',
        body: ruleBody,
        response: { 200: z.object({ rules: z.array(docSchema) }), ...editErrors },
      },
    },
    async (req) => {
      const rules = await setAlertRules(deps.settingsPath, req.body.rules);
      await audit(deps, req.principal?.name, 'alert_rules_replaced', 'alerts.rules', req.body.rules);
      return { rules: rules as unknown as Record<string, unknown>[] };
    },
  );

  app.get(
    '/api/v1/config-changes',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['watch list'],
        summary: 'Audit trail of watch-list and alert-rule edits made through the API (who, what, when), newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict(),
        response: { 200: z.object({ items: z.array(docSchema) }), ...errors },
      },
    },
    async (req) => ({
      items: (await latestConfigChanges(deps.store, req.query.limit)) as unknown as Record<string, unknown>[],
    }),
  );
}
