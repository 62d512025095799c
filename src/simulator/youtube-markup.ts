import type { SimYtChannel, SimYtVideo } from './world';

/**
 * YouTube's public pages in their real formats (see test/fixtures/youtube/README.md for the sources): the Atom feed
 * of a channel or playlist, the watch page with its `ytInitialPlayerResponse`, the channel page with its
 * `ytInitialData`. Synthetic content only.
 */

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON inside a <script>: "</" must not close the script. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/<\//g, '<\\/');
}

function feedEntry(v: SimYtVideo, base: string): string {
  return ` <entry>
  <id>yt:video:${v.id}</id>
  <yt:videoId>${v.id}</yt:videoId>
  <yt:channelId>${v.channelId}</yt:channelId>
  <title>${xml(v.title)}</title>
  <link rel="alternate" href="${base}/watch?v=${v.id}"/>
  <author>
   <name>synthetic</name>
   <uri>${base}/channel/${v.channelId}</uri>
  </author>
  <published>${v.published.replace(/\.\d{3}Z$/, '+00:00').replace(/Z$/, '+00:00')}</published>
  <updated>${v.published.replace(/\.\d{3}Z$/, '+00:00').replace(/Z$/, '+00:00')}</updated>
  <media:group>
   <media:title>${xml(v.title)}</media:title>
   <media:content url="${base}/v/${v.id}?version=3" type="application/x-shockwave-flash" width="640" height="390"/>
   <media:thumbnail url="${base}/vi/${v.id}/hqdefault.jpg" width="480" height="360"/>
   <media:description>${xml(v.description)}</media:description>
   <media:community>
    <media:starRating count="0" average="0.00" min="1" max="5"/>
    <media:statistics views="${v.views}"/>
   </media:community>
  </media:group>
 </entry>
`;
}

/**
 * `/feeds/videos.xml?channel_id=…` (or `playlist_id=…`): the listed videos that are still public (age-restricted ones
 * too). As the 2026 feeds do, the top-level `<id>` and `<yt:channelId>` drop the channel id's `UC`; entries keep it.
 */
export function renderYoutubeFeed(kind: 'channel' | 'playlist', id: string, title: string, videos: SimYtVideo[], base: string): string {
  const self = `${base}/feeds/videos.xml?${kind === 'channel' ? 'channel_id' : 'playlist_id'}=${id}`;
  const feedId = kind === 'channel' ? id.replace(/^UC/, '') : id;
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">
 <link rel="self" href="${xml(self)}"/>
 <id>yt:${kind}:${feedId}</id>
${kind === 'channel' ? ` <yt:channelId>${feedId}</yt:channelId>\n` : ` <yt:playlistId>${id}</yt:playlistId>\n`} <title>${xml(title)}</title>
 <link rel="alternate" href="${base}/${kind === 'channel' ? `channel/${id}` : `playlist?list=${id}`}"/>
 <published>2024-03-01T09:00:00+00:00</published>
${videos
  .filter((v) => v.state === 'available' || v.state === 'age_restricted')
  .map((v) => feedEntry(v, base))
  .join('')}</feed>
`;
}

const GONE: Record<Exclude<SimYtVideo['state'], 'available' | 'age_restricted'>, unknown> = {
  tos: {
    status: 'ERROR',
    reason: 'Video unavailable',
    errorScreen: {
      playerErrorMessageRenderer: {
        reason: { simpleText: 'Video unavailable' },
        icon: { iconType: 'ERROR_OUTLINE' },
        subreason: { runs: [{ text: "This video has been removed for violating YouTube's Terms of Service" }] },
      },
    },
  },
  terminated: {
    status: 'ERROR',
    reason: 'This video is no longer available because the YouTube account associated with this video has been terminated.',
    errorScreen: { playerErrorMessageRenderer: { reason: { simpleText: 'Video unavailable' }, icon: { iconType: 'ERROR_OUTLINE' } } },
  },
  // as a 2026 private video (test/fixtures/youtube/player-private-2026.json): the reason, then a sign-in hint
  private: {
    status: 'LOGIN_REQUIRED',
    reason: 'This video is private',
    messages: ['This is a private video. Please sign in to verify that you may see it.'],
    errorScreen: {
      playerErrorMessageRenderer: {
        subreason: {
          runs: [
            { text: 'If the owner of this video has granted you access, please ' },
            { text: 'sign in', navigationEndpoint: { signInEndpoint: { nextEndpoint: { urlEndpoint: { url: '' } } } } },
            { text: '.' },
          ],
        },
      },
    },
  },
  deleted: {
    status: 'ERROR',
    reason: 'This video has been removed by the uploader',
    errorScreen: { playerErrorMessageRenderer: { reason: { simpleText: 'Video unavailable' }, icon: { iconType: 'ERROR_OUTLINE' } } },
  },
};

function page(title: string, scripts: string): string {
  return `<!DOCTYPE html><html lang="en-GB"><head><title>${xml(title)}</title></head><body dir="ltr"><div id="player"></div>${scripts}</body></html>`;
}

/** The age gate as real pages serve it (test/fixtures/youtube/watch-agegate-vi-2022.html, player-agegate-2024.json). */
const AGE_GATE = {
  status: 'LOGIN_REQUIRED',
  reason: 'Sign in to confirm your age',
  errorScreen: {
    playerErrorMessageRenderer: {
      subreason: { runs: [{ text: 'This video may be inappropriate for some users.' }] },
      reason: { simpleText: 'Sign in to confirm your age' },
      icon: { iconType: 'ERROR_OUTLINE' },
    },
  },
  desktopLegacyAgeGateReason: 1,
  contextParams: 'Q0FFU0FnZ0M=',
};

/** The player response of a public video: OK, or the age gate, with its full details either way. */
function publicPlayerResponse(v: SimYtVideo, channel: SimYtChannel | undefined, ageGated: boolean): unknown {
  return {
    responseContext: { serviceTrackingParams: [] },
    playabilityStatus: ageGated ? AGE_GATE : { status: 'OK', playableInEmbed: true, contextParams: 'Q0FFU0FnZ0M=' },
    videoDetails: {
      videoId: v.id,
      title: v.title,
      lengthSeconds: String(v.lengthSeconds),
      channelId: v.channelId,
      isOwnerViewing: false,
      shortDescription: v.description,
      isCrawlable: true,
      thumbnail: { thumbnails: [{ url: `https://i.ytimg.com/vi/${v.id}/hqdefault.jpg`, width: 480, height: 360 }] },
      allowRatings: true,
      viewCount: String(v.views),
      author: channel?.title ?? 'synthetic',
      isPrivate: false,
      isLiveContent: false,
    },
    microformat: {
      playerMicroformatRenderer: {
        lengthSeconds: String(v.lengthSeconds),
        externalChannelId: v.channelId,
        isFamilySafe: !ageGated,
        viewCount: String(v.views),
        publishDate: v.published,
        uploadDate: v.published,
      },
    },
  };
}

const UNKNOWN_VIDEO = {
  responseContext: { serviceTrackingParams: [] },
  playabilityStatus: {
    status: 'ERROR',
    reason: 'Video unavailable',
    errorScreen: { playerErrorMessageRenderer: { reason: { simpleText: 'Video unavailable' } } },
  },
};

/**
 * `/watch?v=<id>`: a video of a terminated channel says so, whatever its own state; an age-restricted one is behind
 * the age gate with its details. Unknown ids: "Video unavailable".
 */
export function renderWatchPage(v: SimYtVideo | undefined, channel: SimYtChannel | undefined): string {
  const state = !v ? undefined : channel?.state === 'terminated' && (v.state === 'available' || v.state === 'age_restricted') ? 'terminated' : v.state;
  const pr =
    !v || !state
      ? UNKNOWN_VIDEO
      : state === 'available' || state === 'age_restricted'
        ? publicPlayerResponse(v, channel, state === 'age_restricted')
        : { responseContext: { serviceTrackingParams: [] }, playabilityStatus: GONE[state] };
  const title = v && state === 'available' ? `${v.title} - YouTube` : 'YouTube';
  return page(
    title,
    `<script nonce="sim">var ytInitialPlayerResponse = ${scriptJson(pr)};var meta = document.createElement('meta'); meta.name = 'referrer'; meta.content = 'origin-when-cross-origin'; document.getElementsByTagName('head')[0].appendChild(meta);</script><script nonce="sim">var ytInitialData = {"responseContext":{"serviceTrackingParams":[]}};</script>`,
  );
}

/** An age-restricted channel's page: no metadata, only a channelAgeGateRenderer (test/fixtures/youtube/browse-channel-agegate-2026.json). */
function channelAgeGate(ch: SimYtChannel, base: string): unknown {
  const gate = {
    channelTitle: ch.title,
    avatar: { thumbnails: [{ url: `${base}/media/avatar-7.png`, width: 144, height: 144 }] },
    header: { runs: [{ text: 'Sign in to view this channel' }] },
    mainText: {
      runs: [
        { text: 'This channel contains content that may be inappropriate for some users, ' },
        { text: 'as determined by the YouTube account owner' },
        { text: '. To view this channel, please confirm you are old enough by signing in.' },
      ],
    },
    signInButton: { buttonRenderer: { style: 'STYLE_BRAND', size: 'SIZE_DEFAULT', text: { runs: [{ text: 'Sign in' }] } } },
  };
  return {
    responseContext: { serviceTrackingParams: [] },
    contents: {
      twoColumnBrowseResultsRenderer: {
        tabs: [{ tabRenderer: { selected: true, content: { sectionListRenderer: { contents: [{ channelAgeGateRenderer: gate }] } } } }],
      },
    },
  };
}

/** `/channel/<id>`: metadata, the age gate, or the terminated-account alert. */
export function renderYoutubeChannelPage(ch: SimYtChannel, base: string): string {
  const data =
    ch.state === 'age_restricted'
      ? channelAgeGate(ch, base)
      : ch.state === 'terminated'
        ? {
            responseContext: { serviceTrackingParams: [] },
            alerts: [
              { alertRenderer: { type: 'ERROR', text: { simpleText: "This account has been terminated for a violation of YouTube's Terms of Service." } } },
            ],
          }
        : {
            responseContext: { serviceTrackingParams: [] },
            metadata: {
              channelMetadataRenderer: {
                title: ch.title,
                description: ch.description,
                rssUrl: `${base}/feeds/videos.xml?channel_id=${ch.channelId}`,
                externalId: ch.channelId,
                avatar: { thumbnails: [{ url: `${base}/media/avatar-7.png`, width: 900, height: 900 }] },
                channelUrl: `${base}/channel/${ch.channelId}`,
                isFamilySafe: true,
              },
            },
          };
  return page(ch.state === 'terminated' ? 'YouTube' : `${ch.title} - YouTube`, `<script nonce="sim">var ytInitialData = ${scriptJson(data)};</script>`);
}
