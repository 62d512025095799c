import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../../app/runtime-settings';
import type { Api } from '../types';

/** Files the dashboard is made of (a fixed list: nothing else on disk is reachable). */
const FILES = new Map<string, { path: () => string; type: string }>([
  ['index.html', { path: () => join(repoRoot(), 'src/dashboard/index.html'), type: 'text/html; charset=utf-8' }],
  ['app.js', { path: () => join(repoRoot(), 'src/dashboard/app.js'), type: 'text/javascript; charset=utf-8' }],
  ['style.css', { path: () => join(repoRoot(), 'src/dashboard/style.css'), type: 'text/css; charset=utf-8' }],
  ['chart.umd.js', { path: () => join(repoRoot(), 'node_modules/chart.js/dist/chart.umd.js'), type: 'text/javascript; charset=utf-8' }],
]);

/**
 * The dashboard: static files served by the API. The page itself is public; every figure on it comes from the
 * token-protected API (the analyst pastes a token, kept in sessionStorage).
 */
export function registerDashboardRoutes(app: Api): void {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard/*', { schema: { hide: true } }, async (req, reply) => {
    const name = (req.params as { '*': string })['*'] || 'index.html';
    const f = FILES.get(name); // a Map: "__proto__", "constructor", "toString" are just unknown names
    if (!f) return reply.code(404).send({ error: 'not_found', message: `no dashboard file "${name}"` });
    const body = await readFile(f.path());
    return reply
      .type(f.type)
      .header('cache-control', 'no-cache')
      .header(
        'content-security-policy',
        "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
      )
      .header('x-content-type-options', 'nosniff')
      .send(body as never);
  });
}
