import type { ParseTask } from '../../src/core/parse-task';
import { assertNestingDepth } from '../nesting-depth';
import { assertAssignedJsonDepth } from './embedded-json-depth';
import { parseYoutubeChannelPage, type ChannelPage } from './parse-channel-page';
import { parseVideoFeed, type VideoFeed } from './parse-video-feed';
import { parseWatchPage, type WatchPage } from './parse-watch-page';

/** A channel's or playlist's Atom feed; its nesting is capped before the XML DOM is built. */
export const youtubeFeedTask: ParseTask<{ xml: string; url: string }, VideoFeed> = {
  name: 'youtubeFeed',
  what: 'YouTube feed',
  urlOf: (i) => i.url,
  run: (i, maxDepth) => {
    assertNestingDepth(i.xml, maxDepth, 'YouTube feed', { url: i.url, xml: true });
    return parseVideoFeed(i.xml, i.url);
  },
};

/** A watch page: its embedded ytInitialPlayerResponse, nesting capped before JSON.parse. */
export const youtubeWatchTask: ParseTask<{ html: string; videoId: string; url: string }, WatchPage> = {
  name: 'youtubeWatch',
  what: 'YouTube watch page',
  urlOf: (i) => i.url,
  run: (i, maxDepth) => {
    assertAssignedJsonDepth(i.html, 'ytInitialPlayerResponse', maxDepth, 'YouTube watch page', i.url);
    return parseWatchPage(i.html, i.videoId, i.url);
  },
};

/** A channel page: its embedded ytInitialData, nesting capped before JSON.parse. */
export const youtubeChannelTask: ParseTask<{ html: string; url: string }, ChannelPage> = {
  name: 'youtubeChannel',
  what: 'YouTube channel page',
  urlOf: (i) => i.url,
  run: (i, maxDepth) => {
    assertAssignedJsonDepth(i.html, 'ytInitialData', maxDepth, 'YouTube channel page', i.url);
    return parseYoutubeChannelPage(i.html, i.url);
  },
};
