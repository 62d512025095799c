import { classifyStatusPage } from '../../crawlers/telegram/parse-status-page';
import type { StoredChannelState } from '../../src/core/channel-transitions';
import { followHandle } from '../../src/core/handle-follow';
import { orderCandidates } from '../../src/resurface/candidate-order';
import type { PointedHandle } from '../../src/store/repos/handle-pointers';
import { isFresh, probeFromCrawl, probeFromStatusPage, PROBE_MAX_POSTS } from '../../src/resurface/probe-snapshot';
import { describeReference, referenceFile } from '../support/reference-pages';

const pointer = (from: string[], tags: string[], origins: Array<'mention' | 'link' | 'forward'>): PointedHandle => ({
  from: new Set(from),
  tags: new Set(tags),
  origins: new Set(origins),
});

describe('candidate order (pure)', () => {
  const variants = ['alpha2', 'alpha_backup', 'alpha_new', 'alpha_official'];
  it('puts handles pointed at from the same network first (most pointed-at first), then variants in order, then other pointers', () => {
    const pointed = new Map<string, PointedHandle>([
      ['stranger_news', pointer(['tg:9'], ['net-z'], ['link'])],
      ['quiet_harbor', pointer(['tg:7'], ['net-a'], ['forward'])],
      ['storm_center', pointer(['tg:7', 'tg:8'], ['net-a'], ['mention', 'link'])],
      ['alpha_new', pointer(['tg:9'], ['net-z'], ['mention'])],
    ]);
    const out = orderCandidates(variants, pointed, 'tg:1', new Set(['net-a']), new Set(['alpha']));
    expect(out.map((c) => c.handle)).toEqual(['storm_center', 'quiet_harbor', 'alpha2', 'alpha_backup', 'alpha_new', 'alpha_official', 'stranger_news']);
    expect(out.map((c) => c.priority)).toEqual(['network', 'network', 'variant', 'variant', 'variant', 'variant', 'pointed']);
    expect(out[0]?.origins).toEqual(['link', 'mention']);
    // a variant that another network mentions stays in the variant order, with both origins
    expect(out.find((c) => c.handle === 'alpha_new')?.origins).toEqual(['variant', 'mention']);
  });
  it("leaves out the channel's own handles and pointers from the channel itself", () => {
    const pointed = new Map<string, PointedHandle>([
      ['alpha', pointer(['tg:7'], ['net-a'], ['mention'])],
      ['self_link', pointer(['tg:1'], ['net-a'], ['link'])],
    ]);
    const out = orderCandidates(['alpha', 'alpha2'], pointed, 'tg:1', new Set(['net-a']), new Set(['alpha']));
    expect(out.map((c) => `${c.handle}:${c.priority}`)).toEqual(['alpha2:variant', 'self_link:pointed']);
  });
  it('counts any pointer as the network when the channel has no tags', () => {
    const out = orderCandidates([], new Map([['x_handle', pointer(['tg:5'], ['net-q'], ['forward'])]]), 'tg:1', new Set(), new Set());
    expect(out[0]?.priority).toBe('network');
  });
});

describe('following a handle (pure)', () => {
  const base: StoredChannelState = {
    status: 'not_found',
    handle: 'owl_notes',
    handles: ['owl_notes'],
    platformId: '55',
    firstSeenAt: new Date('2026-11-01T00:00:00Z'),
    consecutiveFailures: 0,
  };
  const at = new Date('2026-11-20T10:00:00Z');
  it('a channel seen under another handle is renamed, not vanished', () => {
    const f = followHandle(base, { handle: 'night_calls', title: 'Owl Notes' }, at, 'probe');
    expect(f?.restored).toBe(false);
    expect(f?.drafts).toEqual([{ type: 'renamed', at, data: { from: 'owl_notes', to: 'night_calls', via: 'probe', previousStatus: 'not_found' } }]);
    expect(f?.state).toEqual({ status: 'active', handle: 'night_calls', handles: ['owl_notes', 'night_calls'], lastSeenActiveAt: at, title: 'Owl Notes' });
  });
  it('a removed channel back under a new handle is restored and renamed', () => {
    const removedAt = new Date('2026-11-20T09:00:00Z');
    const f = followHandle({ ...base, status: 'removed', removedAt }, { handle: 'owl_notes_new' }, at, 'probe');
    expect(f?.restored).toBe(true);
    expect(f?.drafts.map((d) => d.type)).toEqual(['restored', 'renamed']);
    expect(f?.drafts[0]?.data).toEqual({ from: 'removed', fromHandle: 'owl_notes', toHandle: 'owl_notes_new', via: 'probe', downMs: 3600_000 });
  });
  it('the same handle (any case) is nothing to follow', () => {
    expect(followHandle(base, { handle: 'OWL_NOTES' }, at, 'probe')).toBeUndefined();
  });
});

describe('probe snapshots (pure)', () => {
  const at = new Date('2026-11-20T10:00:00Z');
  it('is fresh within the cache time only, and never with a zero cache time', () => {
    expect(isFresh({ probedAt: new Date(at.getTime() - 29_000) }, at, 30_000)).toBe(true);
    expect(isFresh({ probedAt: new Date(at.getTime() - 30_000) }, at, 30_000)).toBe(false);
    expect(isFresh({ probedAt: at }, at, 0)).toBe(false);
    expect(isFresh(null, at, 30_000)).toBe(false);
  });
  it('keeps the latest posts only, texts capped', () => {
    const posts = Array.from({ length: 30 }, (_, i) => ({
      postId: String(i + 1),
      text: 'x'.repeat(3000),
      links: [],
      hashtags: [],
      mentions: [],
      media: [],
      publishedAt: new Date(at.getTime() - (30 - i) * 60_000),
    }));
    const doc = probeFromCrawl(
      'Some_Handle',
      { channel: { platform: 'telegram', handle: 'Some_Handle', status: 'active', platformId: '42', title: 'T' }, posts, pagesFetched: 1, cursor: {} },
      at,
      2,
    );
    expect(doc._id).toBe('probe:some_handle');
    expect(doc.posts).toHaveLength(PROBE_MAX_POSTS);
    expect(doc.posts[0]?.postId).toBe('11');
    expect(doc.posts[0]?.text.length).toBe(2000);
    expect(doc).toMatchObject({ status: 'active', platformId: '42', requests: 2 });
  });
});

describeReference('a probe tells a missing handle from its t.me page alone (real pages)', () => {
  const at = new Date('2026-11-20T10:00:00Z');
  it('an unused name is not found after one request; a channel page is a live channel to look at further', () => {
    const free = probeFromStatusPage('zzq9x7v2knot44', classifyStatusPage(referenceFile('status-tme_free.html')), at);
    expect(free).toMatchObject({ status: 'not_found', requests: 1, posts: [], photos: [] });
    expect(classifyStatusPage(referenceFile('status-tme_channel.html')).status).toBe('active');
    const user = probeFromStatusPage('nikolai', classifyStatusPage(referenceFile('status-tme_user.html')), at);
    expect(user).toMatchObject({ status: 'not_channel', kind: 'user', requests: 1 });
  });
});
