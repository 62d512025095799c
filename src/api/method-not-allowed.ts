import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * 405 Method Not Allowed for a path the API serves with other methods: an `onRoute` hook records every method a
 * route is registered with (HEAD comes with each GET), and the not-found handler asks the router which of them match
 * the request's path. Those go in the `Allow` header (RFC 9110 §15.5.6); a path no method serves stays a 404.
 */
export function trackMethods(app: FastifyInstance): (req: FastifyRequest) => string[] {
  const methods = new Set<string>();
  app.addHook('onRoute', (route) => {
    for (const m of Array.isArray(route.method) ? route.method : [route.method]) methods.add(m.toUpperCase());
    if (methods.has('GET')) methods.add('HEAD'); // fastify serves HEAD with every GET route
  });
  return (req) => [...methods].filter((method) => app.findRoute({ method: method as 'GET', url: req.url }) !== null).sort();
}

/** Answers 405 with `Allow` when `allowed` is not empty; false (nothing sent) otherwise. */
export async function sendMethodNotAllowed(req: FastifyRequest, reply: FastifyReply, allowed: string[]): Promise<boolean> {
  if (!allowed.length) return false;
  await reply
    .code(405)
    .header('allow', allowed.join(', '))
    .send({ error: 'method_not_allowed', message: `${req.method} is not allowed on ${req.url.split('?')[0] ?? '/'}; allowed: ${allowed.join(', ')}` });
  return true;
}
