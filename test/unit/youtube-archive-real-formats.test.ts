import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { archiveText, parseItemMetadata } from '../../crawlers/archive/parse-archive';
import { parseVideoFeed, parseWatchPage, parseYoutubeChannelPage } from '../../crawlers/youtube';
import { channelSnapshot } from '../../crawlers/youtube/youtube-crawler';

/**
 * The parsers on real saved responses of other projects (issue 24): the sources of every file are named in
 * test/fixtures/youtube/README.md. Saved player (`/youtubei/v1/player`) and browse (`/youtubei/v1/browse`) answers are
 * the objects a watch page assigns to `ytInitialPlayerResponse` and a channel page to `ytInitialData`: the tests put
 * them in a page the way YouTube's own pages do (`var … = {…};var meta = …` in a script).
 */
const fx = (name: string): string => readFileSync(join(__dirname, '../fixtures/youtube', name), 'utf8');
const watchPage = (playerJson: string): string =>
  `<html><body><script nonce="x">var ytInitialPlayerResponse = ${playerJson.trim()};var meta = document.createElement('meta');</script></body></html>`;
const channelPage = (browseJson: string): string => `<html><body><script nonce="x">var ytInitialData = ${browseJson.trim()};</script></body></html>`;

describe('age-restricted videos (LOGIN_REQUIRED + desktopLegacyAgeGateReason) are available, whatever the language', () => {
  it('a Vietnamese watch page of 2022 (node-ytdl-core age-restricted-vi-VN): views and duration are read', () => {
    const w = parseWatchPage(fx('watch-agegate-vi-2022.html'), 'CsrfovOPcjk');
    expect(w).toMatchObject({ state: 'available', ageGated: true, playability: 'LOGIN_REQUIRED', views: 11579654, durationSec: 237 });
  });
  it('a player answer of 2024 (NewPipeExtractor stream/ageRestricted): views and duration are read', () => {
    const w = parseWatchPage(watchPage(fx('player-agegate-2024.json')), 'rwcfPqbAx-0');
    expect(w).toMatchObject({ state: 'available', ageGated: true, views: 238812, durationSec: 10, channelId: 'UCcQHIVL83g5BEQe2IJFb-6w' });
  });
  it('a sign-in (bot) wall without the age-gate flag stays unknown', () => {
    expect(parseWatchPage(fx('watch-botwall.html'), 'SynthVid001')).toMatchObject({ state: 'unknown' });
  });
});

describe('private videos keep the reason, not the sign-in hint', () => {
  it('2020 (node-ytdl-core videos/private): "Private video"', () => {
    expect(parseWatchPage(watchPage(fx('player-private-2020.json')), 'z2jeHsa0UG0')).toEqual({
      state: 'gone',
      playability: 'LOGIN_REQUIRED',
      reason: 'private',
      reasonText: 'Private video',
    });
  });
  it('2026 (NewPipeExtractor notavailable/privatecontent): "This video is private"', () => {
    expect(parseWatchPage(watchPage(fx('player-private-2026.json')), '8VajtrESJzA')).toEqual({
      state: 'gone',
      playability: 'LOGIN_REQUIRED',
      reason: 'private',
      reasonText: 'This video is private',
    });
  });
});

describe('channel pages of 2026 (NewPipeExtractor youtubechannelextractor mocks)', () => {
  it('an age-restricted channel (only a channelAgeGateRenderer) is active and age-gated, with its title and avatar', () => {
    expect(parseYoutubeChannelPage(channelPage(fx('browse-channel-agegate-2026.json')))).toEqual({
      state: 'active',
      ageGated: true,
      title: 'Laphroaig Whisky',
      avatarUrl: 'https://yt3.googleusercontent.com/KSaBQ7S6a3SbV18PcnIY6sa-3TOv0psncwIQpYECUW0v5WrjOQA0NyrWd_y-pgXpnjaXkhOBTg=s144-c-k-c0x00ffffff-no-rj',
      ageGateText: 'Sign in to view this channel',
    });
  });
  it('"This channel does not exist." is not_found', () => {
    expect(parseYoutubeChannelPage(channelPage(fx('browse-channel-not-exist-2026.json')))).toEqual({
      state: 'removed',
      reason: 'not_found',
      reasonText: 'This channel does not exist.',
    });
  });
});

describe('the 2026 feed generation: top-level yt:channelId without "UC"', () => {
  it('the channel id is the same UC… id as in the entries and the older feeds', () => {
    const feed = parseVideoFeed(fx('channel-feed-2026.xml'));
    expect(feed.channelId).toBe('UCsXVk37bltHxD1rDPwtNM8Q');
    expect(feed.videos.map((v) => v.videoId)).toHaveLength(2);
    expect(parseVideoFeed(fx('channel-feed.xml')).channelId).toBe('UCsynthSynthSynthSynth01');
  });
});

describe('Archive descriptions: <br> and block boundaries are line breaks', () => {
  it('"Larry Adler<br /><b>Writer:" (the description fragment quoted in issue 24) keeps the words apart', () => {
    expect(archiveText('<b>Performer:</b> Larry Adler<br /><b>Writer:</b> Gershwin')).toBe('Performer: Larry Adler\nWriter: Gershwin');
    expect(archiveText('<p>First paragraph.</p><p>Second paragraph.</p>')).toBe('First paragraph.\nSecond paragraph.');
  });
  it('the metadata API keeps them apart too; inline markup does not split words', () => {
    const body = JSON.stringify({
      metadata: { identifier: 'x', description: '<p>One <i>two</i></p><p>three<br>four<br/>five</p><div>six</div>seven' },
      files: [],
    });
    const item = parseItemMetadata(body, 'x');
    expect(item.state === 'public' ? item.description : undefined).toBe('One two\nthree\nfour\nfive\nsix\nseven');
  });
  it('a real metadata answer (oscarotero/Embed, dn2015-0220_vid): one line per list item, inline spans kept in their words', () => {
    const body = readFileSync(join(__dirname, '../fixtures/archive/metadata-dn2015-0220_vid.json'), 'utf8');
    const item = parseItemMetadata(body, 'dn2015-0220_vid');
    expect(item.state === 'public' ? item.description?.split('\n') : undefined).toEqual([
      'Democracy Now! television program for Friday, February 20, 2015',
      'Headlines for February 20, 2015',
      'An Unsolved Case of Racial Terror: FBI Probes 1946 Moore\u2019s Ford Bridge Lynching in Georgia',
      'Malcolm X Remembered 50 Years After 1965 Assassination',
      'NSA & British GCHQ Hacked SIM Card Maker to Steal Encryption Keys to Spy on Billions of Cellphones',
    ]);
  });
});

describe('the crawler goes on past an age-gated channel page (channelSnapshot)', () => {
  it('age-gated: active, title and avatar from the gate, the gate named; "does not exist": not_found', () => {
    const gated = parseYoutubeChannelPage(channelPage(fx('browse-channel-agegate-2026.json')));
    expect(channelSnapshot('UCbfnHqxXs_K3kvaH-WlNlig', gated, undefined)).toMatchObject({
      status: 'active',
      title: 'Laphroaig Whisky',
      statusDetail: 'age-gated channel page: Sign in to view this channel',
    });
    const none = parseYoutubeChannelPage(channelPage(fx('browse-channel-not-exist-2026.json')));
    expect(channelSnapshot('UCAUc4iz6edWerIjlnL8OSSw', none, undefined)).toMatchObject({
      status: 'not_found',
      reason: 'not_found',
      statusDetail: 'This channel does not exist.',
    });
  });
});
