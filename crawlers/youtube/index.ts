export { youtubeCrawler, videoPost } from './youtube-crawler';
export { parseVideoFeed, type VideoFeed, type FeedVideo } from './parse-video-feed';
export { parseWatchPage, type WatchPage } from './parse-watch-page';
export { parseYoutubeChannelPage, type ChannelPage } from './parse-channel-page';
export { classifyYoutubeReason } from './takedown-reason';
export { youtubePlatform } from './platform';
export { youtubeSourceSchema, type YoutubeSource } from './source';
