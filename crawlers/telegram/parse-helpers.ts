/** Small pure helpers for the t.me web preview. */

/** "950" → 950, "1.2K" → 1200, "3.4M" → 3400000, "1 234" → 1234. Undefined when unreadable. */
export function parseCount(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^([\d\s\u00a0\u202f.,]+)\s*([KMB])?$/i.exec(text.trim());
  if (!m) return undefined;
  const suffix = (m[2] ?? '').toUpperCase();
  const digits = (m[1] ?? '').replace(/[\s\u00a0\u202f]/g, '');
  const num = suffix ? Number(digits.replace(',', '.')) : Number(digits.replace(/[.,]/g, ''));
  if (!Number.isFinite(num)) return undefined;
  const mult = suffix === 'K' ? 1e3 : suffix === 'M' ? 1e6 : suffix === 'B' ? 1e9 : 1;
  return Math.round(num * mult);
}

/**
 * Decodes `data-view` (base64, URL-safe or not, maybe unpadded). Its `c` field is the channel id written `-<id>`
 * (@durov: `-1006503122`, id `1006503122`): only the minus sign goes; there is no `-100` prefix to strip.
 */
export function decodeDataView(value: string | undefined): { channelId?: string; postId?: number } {
  if (!value || value.length > 4096) return {};
  try {
    const b64 = value.replace(/-/g, '+').replace(/_/g, '/');
    const json: unknown = JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
    if (typeof json !== 'object' || json === null) return {};
    const rec = json as Record<string, unknown>;
    const c = rec.c;
    const raw = typeof c === 'number' ? String(c) : typeof c === 'string' ? c : undefined;
    const channelId = raw && /^-?\d+$/.test(raw) ? raw.replace(/^-/, '') : undefined;
    const p = typeof rec.p === 'number' ? rec.p : undefined;
    return { channelId, postId: p };
  } catch {
    return {};
  }
}

/** url('…'), url("…"), url(…) and &quot; forms in a style attribute. */
export function extractBackgroundUrl(style: string | undefined): string | undefined {
  if (!style) return undefined;
  const s = style.replace(/&quot;/g, '"');
  const m = /background-image\s*:\s*url\(\s*(['"]?)(.*?)\1\s*\)/i.exec(s);
  const url = m?.[2]?.trim();
  return url ? url : undefined;
}

/** "1:05" → 65, "1:02:03" → 3723. */
export function parseDuration(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const parts = text.trim().split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^\d+$/.test(p))) return undefined;
  return parts.map(Number).reduce((acc, n) => acc * 60 + n, 0);
}

export function absoluteUrl(href: string | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const u = new URL(href, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A link as the page writes it: an absolute http(s) href is kept byte for byte (no host lower-casing, no added
 * slash), a relative one is resolved against the base; any other scheme (javascript:, data:, tg:) gives undefined.
 */
export function linkUrl(href: string | undefined, base: string): string | undefined {
  if (!href) return undefined;
  const h = href.trim();
  if (/^https?:\/\/[^\s]/i.test(h)) {
    try {
      new URL(h);
      return h;
    } catch {
      return undefined;
    }
  }
  return absoluteUrl(h, base);
}

/** Coordinates from a map link (`?q=48.85,2.35`, `ll=`, `center=`). */
export function parseMapLink(href: string | undefined): { latitude?: number; longitude?: number } {
  if (!href) return {};
  let u: URL;
  try {
    u = new URL(href, 'https://t.me');
  } catch {
    return {};
  }
  for (const key of ['q', 'll', 'center', 'query']) {
    const m = /^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$/.exec(u.searchParams.get(key) ?? '');
    if (!m) continue;
    const latitude = Number(m[1]);
    const longitude = Number(m[2]);
    if (Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180) return { latitude, longitude };
  }
  return {};
}

/** "https://t.me/handle/55" → { handle, postId }, also for the configured base URL. */
export function parseTelegramLink(href: string, baseUrl: string): { handle?: string; postId?: string } {
  let u: URL;
  try {
    u = new URL(href, baseUrl);
  } catch {
    return {};
  }
  const base = new URL(baseUrl);
  const isTme = u.host === base.host || /^(www\.)?(t\.me|telegram\.me)$/i.test(u.host);
  if (!isTme) return {};
  const parts = u.pathname.split('/').filter(Boolean);
  if (parts[0] === 's') parts.shift();
  const handle = parts[0] && /^[A-Za-z0-9_]{3,64}$/.test(parts[0]) ? parts[0] : undefined;
  const postId = parts[1] && /^\d+$/.test(parts[1]) ? parts[1] : undefined;
  return { handle, postId };
}
