import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Token auth for the researcher API. Pure, apart from the random token generator. */

export type Role = 'analyst' | 'researcher';

export interface ApiToken {
  name: string;
  role: Role;
  /** SHA-256 hex of the token; the token itself is never stored. */
  sha256: string;
}

export interface Principal {
  name: string;
  role: Role;
}

export class TokenConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenConfigError';
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random token (256 bits, URL-safe). */
export function newToken(): string {
  return `hw_${randomBytes(32).toString('base64url')}`;
}

/** HYDRAWATCH_API_TOKENS: "role:name:token,role:name:token" (tokens in clear, for containers and tests). */
export function parseEnvTokens(value: string | undefined): ApiToken[] {
  if (!value?.trim()) return [];
  return value.split(',').map((entry, i) => {
    const [role, name, token] = entry.trim().split(':');
    if (role !== 'analyst' && role !== 'researcher')
      throw new TokenConfigError(`HYDRAWATCH_API_TOKENS entry ${i + 1}: role must be "analyst" or "researcher" (got "${role ?? ''}")`);
    if (!name) throw new TokenConfigError(`HYDRAWATCH_API_TOKENS entry ${i + 1}: missing name ("role:name:token")`);
    if (!token || token.length < 16) throw new TokenConfigError(`HYDRAWATCH_API_TOKENS entry ${i + 1} (${name}): the token must have at least 16 characters`);
    return { name, role, sha256: hashToken(token) };
  });
}

/** `Authorization: Bearer <token>` → who it is, or undefined. Constant-time comparison of the hashes. */
export function authenticate(header: string | undefined, tokens: readonly ApiToken[]): Principal | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const h = Buffer.from(hashToken(m[1]), 'hex');
  let found: Principal | undefined;
  for (const t of tokens) {
    const want = Buffer.from(t.sha256, 'hex');
    if (want.length === h.length && timingSafeEqual(want, h) && !found) found = { name: t.name, role: t.role };
  }
  return found;
}

/** Analysts may do everything researchers may. */
export function allows(p: Principal, need: Role): boolean {
  return need === 'researcher' || p.role === 'analyst';
}
