import { renderAlert } from '../../src/alerts/render';
import { channelVelocities, platformOfChannelKey, postVelocities, spreadAcrossPlatforms, viewsAt } from '../../src/research/velocity-math';

const T0 = new Date('2026-11-20T00:00:00Z');
const at = (h: number) => new Date(T0.getTime() + h * 3600_000);

describe('view velocity (pure)', () => {
  const samples = [
    { at: at(0), views: 100 },
    { at: at(2), views: 3000 },
    { at: at(30), views: 15000 },
  ];

  it('reads the views at a horizon, interpolating between the samples around it', () => {
    expect(viewsAt(samples, T0, 1)).toBe(1550); // halfway from 100 to 3000
    expect(viewsAt(samples, T0, 2)).toBe(3000); // exactly a sample
    expect(viewsAt(samples, T0, 24)).toBe(12429); // 3000 + 12000 × 22/28, rounded
  });

  it('is undefined until a sample at or after the horizon exists, or without one before it', () => {
    expect(viewsAt(samples.slice(0, 2), T0, 6)).toBeUndefined();
    expect(viewsAt([{ at: at(3), views: 10 }], T0, 1)).toBeUndefined();
    expect(viewsAt([], T0, 1)).toBeUndefined();
  });

  it('per post and per channel (nearest-rank medians, the fastest post, how many reached 24 h)', () => {
    const posts = postVelocities([
      { postKey: 'c:a', channelKey: 'c', platform: 'youtube', firstSeenAt: T0, samples },
      {
        postKey: 'c:b',
        channelKey: 'c',
        platform: 'youtube',
        firstSeenAt: T0,
        samples: [
          { at: at(0), views: 5 },
          { at: at(1), views: 7 },
        ],
      },
    ]);
    expect(posts[0]).toMatchObject({ postKey: 'c:a', h1: 1550, h6: 4714, h24: 12429, latestViews: 15000 });
    expect(posts[1]).toEqual({ postKey: 'c:b', channelKey: 'c', platform: 'youtube', firstSeenAt: T0, h1: 7, latestViews: 7, latestAt: at(1) });
    expect(channelVelocities(posts)).toEqual([{ channelKey: 'c', platform: 'youtube', posts: 2, reached24h: 1, h1: 7, h6: 4714, h24: 12429, max24h: 12429 }]);
  });
});

describe('cross-platform spread (pure)', () => {
  it('first sighting per platform, in order, with delays; channel keys name the platform', () => {
    expect(platformOfChannelKey('tg:1700000401')).toBe('telegram');
    expect(platformOfChannelKey('youtube:yt-a')).toBe('youtube');
    const rows = spreadAcrossPlatforms([
      { channelKey: 'archive:ia', at: at(5) },
      { channelKey: 'youtube:a', at: at(3) },
      { channelKey: 'youtube:b', at: at(2) },
      { channelKey: 'tg:1', at: at(0) },
      { channelKey: 'tg:2', at: at(7) },
    ]);
    expect(rows.map((r) => [r.platform, r.delayMs / 3600_000, r.channels, r.sightings])).toEqual([
      ['telegram', 0, 2, 2],
      ['youtube', 2, 2, 2],
      ['archive', 5, 1, 1],
    ]);
    expect(spreadAcrossPlatforms([])).toEqual([]);
  });
});

describe('post takedown alerts', () => {
  it("name the post, the platform, the reason and the page's words", () => {
    const r = renderAlert(
      {
        kind: 'removed',
        key: 'removed:youtube:yt:abc',
        sourceId: 'yt',
        tags: [],
        at: T0,
        facts: {
          channelKey: 'youtube:yt',
          postKey: 'youtube:yt:SynthVidBBB',
          platform: 'youtube',
          reason: 'tos_violation',
          detail: "This video has been removed for violating YouTube's Terms of Service",
          timeToTakedownMs: 30 * 3600_000,
        },
      },
      'http://127.0.0.1:8080',
    );
    expect(r.subject).toBe('[hydrawatch] removed: youtube post youtube:yt:SynthVidBBB (tos_violation)');
    expect(r.text).toMatch(/Reason\W+tos_violation/);
    expect(r.text).toMatch(/removed for violating YouTube's Terms of Service/);
  });
});
