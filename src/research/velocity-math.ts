import { percentile } from './percentiles';

/** Hours after first seen at which view velocity is read. */
export const VELOCITY_HOURS = [1, 6, 24] as const;

export interface ViewSample {
  at: Date;
  views: number;
}

/**
 * Pure: a post's views `hours` after it was first seen, from its samples. Between the last sample at or before that
 * time and the first one at or after it, linearly interpolated (rounded); undefined until a sample at or after that
 * time exists (the post has not been watched that long yet), or when none is at or before it.
 */
export function viewsAt(samples: readonly ViewSample[], firstSeenAt: Date, hours: number): number | undefined {
  const target = firstSeenAt.getTime() + hours * 3600_000;
  let before: ViewSample | undefined;
  let after: ViewSample | undefined;
  for (const s of samples) {
    const t = s.at.getTime();
    if (t <= target && (!before || t >= before.at.getTime())) before = s;
    if (t >= target && (!after || t <= after.at.getTime())) after = s;
  }
  if (!before || !after) return undefined;
  const ta = before.at.getTime();
  const tb = after.at.getTime();
  if (tb === ta) return after.views;
  return Math.round(before.views + ((after.views - before.views) * (target - ta)) / (tb - ta));
}

export interface PostVelocity {
  postKey: string;
  channelKey: string;
  platform: string;
  firstSeenAt: Date;
  /** Views 1, 6 and 24 hours after first seen (absent: not reached yet). */
  h1?: number;
  h6?: number;
  h24?: number;
  latestViews: number;
  latestAt: Date;
}

export interface ChannelVelocity {
  channelKey: string;
  platform: string;
  posts: number;
  /** Median over the channel's posts that reached the horizon, and how many did. */
  h1?: number;
  h6?: number;
  h24?: number;
  reached24h: number;
  /** The post with the most views after 24 h. */
  max24h?: number;
}

/** Pure: per-post velocity from samples grouped by post. */
export function postVelocities(
  rows: ReadonlyArray<{ postKey: string; channelKey: string; platform: string; firstSeenAt: Date; samples: ViewSample[] }>,
): PostVelocity[] {
  return rows.map((r) => {
    const latest = r.samples.reduce<ViewSample | undefined>((a, s) => (!a || s.at > a.at ? s : a), undefined);
    const [h1, h6, h24] = VELOCITY_HOURS.map((h) => viewsAt(r.samples, r.firstSeenAt, h));
    return {
      postKey: r.postKey,
      channelKey: r.channelKey,
      platform: r.platform,
      firstSeenAt: r.firstSeenAt,
      latestViews: latest?.views ?? 0,
      latestAt: latest?.at ?? r.firstSeenAt,
      ...(h1 !== undefined ? { h1 } : {}),
      ...(h6 !== undefined ? { h6 } : {}),
      ...(h24 !== undefined ? { h24 } : {}),
    };
  });
}

function median(xs: number[]): number | undefined {
  return percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
}

/** Pure: per-channel medians of the post velocities. */
export function channelVelocities(posts: readonly PostVelocity[]): ChannelVelocity[] {
  const by = new Map<string, PostVelocity[]>();
  for (const p of posts) by.set(p.channelKey, [...(by.get(p.channelKey) ?? []), p]);
  return [...by.entries()]
    .map(([channelKey, ps]) => {
      const at = (k: 'h1' | 'h6' | 'h24'): number[] => ps.map((p) => p[k]).filter((v): v is number => v !== undefined);
      const [m1, m6, m24] = [median(at('h1')), median(at('h6')), median(at('h24'))];
      const h24s = at('h24');
      return {
        channelKey,
        platform: ps[0]?.platform ?? '',
        posts: ps.length,
        reached24h: h24s.length,
        ...(m1 !== undefined ? { h1: m1 } : {}),
        ...(m6 !== undefined ? { h6: m6 } : {}),
        ...(m24 !== undefined ? { h24: m24 } : {}),
        ...(h24s.length ? { max24h: Math.max(...h24s) } : {}),
      };
    })
    .sort((a, b) => (b.h24 ?? -1) - (a.h24 ?? -1) || a.channelKey.localeCompare(b.channelKey));
}

/** Pure: the platform of a channel key (`tg:…` is Telegram; other keys are `<platform>:<source id>`). */
export function platformOfChannelKey(channelKey: string): string {
  return channelKey.startsWith('tg:') ? 'telegram' : (channelKey.split(':')[0] ?? channelKey);
}

export interface PlatformSpreadRow {
  platform: string;
  firstSeen: Date;
  channels: number;
  sightings: number;
  /** After the cluster's first sighting on any platform (0 for the first platform). */
  delayMs: number;
}

/** Pure: a media cluster's spread across platforms: first sighting per platform, in order, and the delays. */
export function spreadAcrossPlatforms(sightings: ReadonlyArray<{ channelKey: string; at: Date }>): PlatformSpreadRow[] {
  const by = new Map<string, { first: Date; channels: Set<string>; n: number }>();
  for (const s of sightings) {
    const p = platformOfChannelKey(s.channelKey);
    const row = by.get(p) ?? { first: s.at, channels: new Set<string>(), n: 0 };
    if (s.at < row.first) row.first = s.at;
    row.channels.add(s.channelKey);
    row.n++;
    by.set(p, row);
  }
  const rows = [...by.entries()].sort(([a, x], [b, y]) => x.first.getTime() - y.first.getTime() || a.localeCompare(b));
  const t0 = rows[0]?.[1].first.getTime() ?? 0;
  return rows.map(([platform, r]) => ({ platform, firstSeen: r.first, channels: r.channels.size, sightings: r.n, delayMs: r.first.getTime() - t0 }));
}
