import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyYoutubeReason, parseVideoFeed, parseWatchPage, parseYoutubeChannelPage } from '../../crawlers/youtube';
import { extractAssignedJson } from '../../crawlers/youtube/embedded-json';
import { ParseError } from '../../src/core/errors';
import { renderWatchPage, renderYoutubeChannelPage, renderYoutubeFeed } from '../../src/simulator/youtube-markup';

const fx = (name: string): string => readFileSync(join(__dirname, '../fixtures/youtube', name), 'utf8');

describe('YouTube feed (/feeds/videos.xml)', () => {
  it('reads videos, views, thumbnails and dates; skips an entry with a malformed id', () => {
    const feed = parseVideoFeed(fx('channel-feed.xml'), 'https://www.youtube.com/feeds/videos.xml?channel_id=UCsynthSynthSynthSynth01');
    expect(feed.channelId).toBe('UCsynthSynthSynthSynth01');
    expect(feed.title).toBe('Synthetic Garden Notes');
    expect(feed.videos.map((v) => v.videoId)).toEqual(['SynthVid001', 'SynthVid-02']);
    expect(feed.videos[0]).toMatchObject({
      title: 'Planting tomatoes in raised beds & pots',
      description: 'A synthetic walk through a raised bed. #garden',
      url: 'https://www.youtube.com/watch?v=SynthVid001',
      views: 7743,
      thumbUrl: 'https://i4.ytimg.com/vi/SynthVid001/hqdefault.jpg',
    });
    expect(feed.videos[0]?.publishedAt?.toISOString()).toBe('2026-11-20T12:00:17.000Z');
    expect(feed.videos[1]?.views).toBe(0);
  });

  it('refuses what is not a feed, and entity declarations', () => {
    expect(() => parseVideoFeed('<html><body>consent</body></html>', 'u')).toThrow(/not an Atom <feed>/);
    expect(() => parseVideoFeed('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><feed/>', 'u')).toThrow(/entities/);
  });
});

describe('YouTube watch page (ytInitialPlayerResponse)', () => {
  it('an available video: views, duration, title, even with "};" inside a string', () => {
    const w = parseWatchPage(fx('watch-ok.html'), 'SynthVid001', 'https://www.youtube.com/watch?v=SynthVid001');
    expect(w).toMatchObject({
      state: 'available',
      videoId: 'SynthVid001',
      views: 13042,
      durationSec: 613,
      channelId: 'UCsynthSynthSynthSynth01',
      title: 'Planting tomatoes in raised beds & pots',
    });
  });

  it.each([
    ['watch-tos.html', 'tos_violation', "This video has been removed for violating YouTube's Terms of Service"],
    [
      'watch-terminated.html',
      'account_terminated',
      'This video is no longer available because the YouTube account associated with this video has been terminated.',
    ],
    ['watch-private.html', 'private', 'This video is private'],
    ['watch-deleted.html', 'deleted_by_uploader', 'This video has been removed by the uploader'],
  ])("%s → gone, %s, with the page's words", (file, reason, text) => {
    const w = parseWatchPage(fx(file), 'SynthVid001');
    expect(w).toEqual({ state: 'gone', playability: expect.any(String), reason, reasonText: text });
  });

  it('a sign-in (bot) wall is unknown, not a takedown', () => {
    expect(parseWatchPage(fx('watch-botwall.html'), 'SynthVid001')).toMatchObject({ state: 'unknown', playability: 'LOGIN_REQUIRED' });
  });

  it('hostile or broken pages fail with a clear error', () => {
    expect(() => parseWatchPage('<html>Before you continue to YouTube</html>', 'SynthVid001', 'u')).toThrow(/no ytInitialPlayerResponse/);
    expect(() => parseWatchPage('<script>var ytInitialPlayerResponse = {"playabilityStatus":{"status":"OK"', 'SynthVid001')).toThrow(/not terminated/);
    expect(() => parseWatchPage('<script>var ytInitialPlayerResponse = {"a":1,,};</script>', 'SynthVid001')).toThrow(/not valid JSON/);
    expect(() => parseWatchPage('<script>var ytInitialPlayerResponse = {"videoDetails":{}};</script>', 'SynthVid001')).toThrow(/no playabilityStatus.status/);
    expect(() => parseWatchPage(fx('watch-ok.html'), 'OtherVideo1')).toThrow(/about video "SynthVid001", not "OtherVideo1"/);
    const deep = `<script>var ytInitialPlayerResponse = ${'{"a":'.repeat(5000)}1${'}'.repeat(5000)};</script>`;
    expect(() => parseWatchPage(deep, 'SynthVid001')).toThrow(ParseError);
  });

  it('a non-numeric or negative view count is dropped, not trusted', () => {
    const page =
      '<script>var ytInitialPlayerResponse = {"playabilityStatus":{"status":"OK"},"videoDetails":{"videoId":"SynthVid001","viewCount":"12,000","lengthSeconds":-3}};</script>';
    const w = parseWatchPage(page, 'SynthVid001');
    expect(w).toEqual({ state: 'available', videoId: 'SynthVid001', playability: 'OK' });
  });

  it('window["ytInitialPlayerResponse"] = … is found too; a null assignment is skipped', () => {
    const o = extractAssignedJson('ytInitialPlayerResponse = null; window["ytInitialPlayerResponse"] = {"x":"}"};', 'ytInitialPlayerResponse', 't');
    expect(o).toEqual({ x: '}' });
  });
});

describe('YouTube channel page (ytInitialData)', () => {
  it('active: title, description, avatar', () => {
    expect(parseYoutubeChannelPage(fx('channel-active.html'))).toEqual({
      state: 'active',
      channelId: 'UCsynthSynthSynthSynth01',
      title: 'Synthetic Garden Notes',
      description: 'Synthetic videos about a synthetic garden.',
      avatarUrl: 'https://yt3.googleusercontent.com/synthetic-avatar=s900-c-k-c0x00ffffff-no-rj',
    });
  });
  it('terminated: the alert text is the reason', () => {
    expect(parseYoutubeChannelPage(fx('channel-terminated.html'))).toEqual({
      state: 'removed',
      reason: 'account_terminated',
      reasonText: "This account has been terminated for a violation of YouTube's Terms of Service.",
    });
  });
  it('neither: a clear error', () => {
    expect(() => parseYoutubeChannelPage('<script>var ytInitialData = {"contents":{}};</script>', 'u')).toThrow(
      /neither an error alert, metadata.channelMetadataRenderer nor a channelAgeGateRenderer/,
    );
  });
});

describe('takedown reasons', () => {
  it.each([
    ['This channel was removed because it violated our Community Guidelines.', 'account_terminated'],
    ['This video has been removed for violating YouTube’s Community Guidelines', 'tos_violation'],
    ['Private video', 'private'],
    ['Video unavailable', 'unavailable'],
    ['Ce contenu n’est plus disponible', 'unavailable'],
  ])('%s → %s', (text, reason) => expect(classifyYoutubeReason(text, 'ERROR')).toBe(reason));
});

describe('the simulator serves what the parsers read (same formats as the fixtures)', () => {
  const channel = { channelId: 'UCsynthSynthSynthSynth01', title: 'Sim', description: 'd', state: 'active' as const, videos: [] };
  const video = (state: 'available' | 'age_restricted' | 'tos' | 'terminated' | 'private' | 'deleted') => ({
    id: 'SynthVid001',
    title: 'T </script> & "q"',
    description: 'D',
    lengthSeconds: 61,
    views: 42,
    thumb: 1,
    state,
    channelId: channel.channelId,
    published: '2026-11-20T00:00:00.000Z',
  });

  it.each([
    ['tos', 'tos_violation'],
    ['terminated', 'account_terminated'],
    ['private', 'private'],
    ['deleted', 'deleted_by_uploader'],
  ] as const)('a %s video → %s', (state, reason) => {
    expect(parseWatchPage(renderWatchPage(video(state), channel), 'SynthVid001')).toMatchObject({ state: 'gone', reason });
  });

  it('an available video, a terminated channel, a feed', () => {
    expect(parseWatchPage(renderWatchPage(video('available'), channel), 'SynthVid001')).toMatchObject({
      state: 'available',
      views: 42,
      durationSec: 61,
      title: 'T </script> & "q"',
    });
    expect(parseWatchPage(renderWatchPage(video('available'), { ...channel, state: 'terminated' }), 'SynthVid001')).toMatchObject({
      state: 'gone',
      reason: 'account_terminated',
    });
    expect(parseYoutubeChannelPage(renderYoutubeChannelPage({ ...channel, state: 'terminated' }, 'http://sim'))).toMatchObject({
      state: 'removed',
      reason: 'account_terminated',
    });
    const feed = parseVideoFeed(
      renderYoutubeFeed('channel', channel.channelId, 'Sim', [video('available'), { ...video('private'), id: 'SynthVid002' }], 'http://sim'),
    );
    expect(feed.videos.map((v) => [v.videoId, v.views, v.title])).toEqual([['SynthVid001', 42, 'T </script> & "q"']]);
  });

  it('the shapes of issue 24: an age-gated video and channel, a private video, a 2026 feed without "UC"', () => {
    expect(parseWatchPage(renderWatchPage(video('age_restricted'), channel), 'SynthVid001')).toMatchObject({
      state: 'available',
      ageGated: true,
      views: 42,
      durationSec: 61,
    });
    expect(parseWatchPage(renderWatchPage(video('private'), channel), 'SynthVid001')).toMatchObject({ reason: 'private', reasonText: 'This video is private' });
    expect(parseYoutubeChannelPage(renderYoutubeChannelPage({ ...channel, state: 'age_restricted' }, 'http://sim'))).toEqual({
      state: 'active',
      ageGated: true,
      title: 'Sim',
      avatarUrl: 'http://sim/media/avatar-7.png',
      ageGateText: 'Sign in to view this channel',
    });
    const xml = renderYoutubeFeed('channel', channel.channelId, 'Sim', [video('age_restricted')], 'http://sim');
    expect(xml).toContain('<yt:channelId>synthSynthSynthSynth01</yt:channelId>');
    const feed = parseVideoFeed(xml);
    expect([feed.channelId, feed.videos.map((v) => v.videoId)]).toEqual([channel.channelId, ['SynthVid001']]);
  });
});
