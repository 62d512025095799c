/** The crawl stage's entry points; the crawl itself is in ./crawl/ (one step a file) and ./platforms/ (hooks). */
export { inlineHandoff, recordCrawlFailure, runCrawl, type CrawlRunInfo, type PipelineDeps } from './crawl';
