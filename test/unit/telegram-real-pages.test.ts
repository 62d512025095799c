import { classifyStatusPage, parseChannelPage } from '../../crawlers/telegram';
import { describeReference, referenceFile, referenceJson } from '../support/reference-pages';

interface TruthPost {
  id: string;
  handle: string;
  service: boolean;
  datetime: string;
  views_label: string;
  views: number;
  text: string | null;
  text_ws: string;
  links: string[];
  mentions: string[];
  hashtags: string[];
  media: string[];
  media_urls: string[];
  poll: boolean;
  location: boolean;
  forwarded_from: unknown;
  reply_to: unknown;
  link_preview: { href: string; site: string | null; title: string | null; description: string | null } | null;
  channel_id: string;
}

interface ChannelTruth {
  header: { title: string; username: string; description: string; counters: Record<string, string>; subscribers_label: string; subscribers: number };
  older_before: string;
  post_count: number;
  channel_id: string;
  posts: TruthPost[];
}

describeReference('parseChannelPage on a real t.me/s page (durov.s.html) against its truth file', () => {
  const truth = referenceJson<ChannelTruth>('durov.s.truth.json');
  const page = parseChannelPage(referenceFile('durov.s.html'), { baseUrl: 'https://t.me', handle: 'durov' });

  it('reads the header, the counters, the cursor and the channel id', () => {
    expect(page.hasPostList).toBe(true);
    expect(page.channel.title).toBe(truth.header.title);
    expect(page.channel.handle).toBe(truth.header.username);
    expect(page.channel.description).toBe(truth.header.description);
    expect(page.counters).toEqual(truth.header.counters);
    expect(page.counters.subscribers).toBe(truth.header.subscribers_label);
    expect(page.channel.subscribers).toBe(truth.header.subscribers);
    expect(page.olderBefore).toBe(truth.older_before);
    expect(page.channel.platformId).toBe(truth.channel_id);
    expect(page.channel.platformId).toBe('1006503122');
    expect(page.posts).toHaveLength(truth.post_count);
    expect(page.posts.map((p) => p.postId)).toEqual(truth.posts.map((p) => p.id));
  });

  for (const t of truth.posts) {
    it(`post ${t.id}: every field of the truth file`, () => {
      const p = page.posts.find((x) => x.postId === t.id);
      expect(p).toBeDefined();
      if (!p) return;
      expect(t.channel_id).toBe(page.channel.platformId);
      expect(p.url).toBe(`https://t.me/${t.handle}/${t.id}`);
      expect(p.service !== undefined).toBe(t.service);
      expect(p.publishedAt?.toISOString()).toBe(new Date(t.datetime).toISOString());
      expect(p.views).toBe(t.views);
      expect(p.text).toBe(t.text ?? '');
      expect(p.text.replace(/\s+/g, ' ').trim()).toBe(t.text_ws);
      expect(p.links).toEqual(t.links);
      expect(p.mentions).toEqual(t.mentions);
      expect(p.hashtags).toEqual(t.hashtags);
      expect(p.media.map((m) => m.kind)).toEqual(t.media);
      expect(p.media.map((m) => m.url)).toEqual(t.media_urls);
      expect(p.poll !== undefined).toBe(t.poll);
      expect(p.location !== undefined).toBe(t.location);
      expect(p.forwardedFrom ?? null).toEqual(t.forwarded_from);
      expect(p.replyTo ?? null).toEqual(t.reply_to);
      if (t.link_preview === null) expect(p.linkPreview).toBeUndefined();
      else {
        expect(p.linkPreview?.url).toBe(t.link_preview.href);
        expect(p.linkPreview?.siteName ?? null).toBe(t.link_preview.site);
        expect(p.linkPreview?.title ?? null).toBe(t.link_preview.title);
        expect(p.linkPreview?.description ?? null).toBe(t.link_preview.description);
      }
    });
  }
});

interface StatusTruth {
  kind: string;
  title: string | null;
  count: number | null;
  count_label: string | null;
}

describeReference('classifyStatusPage on real t.me/<handle> pages against status-pages.truth.json', () => {
  const truth = referenceJson<Record<string, StatusTruth | string>>('status-pages.truth.json');
  const expected: Record<string, { what: string; status: string; kind?: string }> = {
    'status-tme_channel': { what: 'channel', status: 'active', kind: 'channel' },
    'status-tme_group': { what: 'group', status: 'not_channel', kind: 'group' },
    'status-tme_user': { what: 'user', status: 'not_channel', kind: 'user' },
    'status-tme_bot': { what: 'bot', status: 'not_channel', kind: 'bot' },
    'status-tme_free': { what: 'not_found', status: 'not_found' },
  };
  const pages = Object.entries(truth).filter((e): e is [string, StatusTruth] => typeof e[1] === 'object');

  it('covers every page of the truth file', () => {
    expect(pages.map(([name]) => name).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, t] of pages) {
    it(`${name} (${t.kind}): classification, title without the verified mark, count`, () => {
      const r = classifyStatusPage(referenceFile(`${name}.html`));
      const e = expected[name];
      expect(r.what).toBe(e?.what);
      expect(r.status).toBe(e?.status);
      expect(r.kind).toBe(e?.kind);
      expect(r.title ?? null).toBe(t.title);
      expect(r.subscribers ?? null).toBe(t.count);
      expect(r.title ?? '').not.toMatch(/✔/);
    });
  }
});
