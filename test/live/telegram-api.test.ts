/**
 * Live test of the telegram-api platform against Telegram itself: runs only with an analyst's credentials in the
 * environment, and is skipped (with a message) otherwise. It reads one public group and one channel's comments through
 * the real account, its guards on the test Redis (README, "Telegram API collector", says how to run it):
 *
 *   HYDRAWATCH_TG_API_ID, HYDRAWATCH_TG_API_HASH   the app's api_id and api_hash
 *   HYDRAWATCH_TG_SESSION                           a session string (or HYDRAWATCH_TG_SESSION_KEY and the session file
 *                                                   `hydrawatch telegram login` wrote, at HYDRAWATCH_TG_SESSION_FILE)
 *   HYDRAWATCH_TG_LIVE_GROUP                        a public group's handle
 *   HYDRAWATCH_TG_LIVE_CHANNEL                      a channel's handle whose posts have comments
 */
import IORedis, { type Redis } from 'ioredis';
import { telegramApiCrawler, type TelegramApiSource } from '../../crawlers/telegram-api';
import type { CrawlContext } from '../../crawlers/types';
import { settingsSchema, sourceSchema } from '../../src/config/schema';
import type { Fetcher } from '../../src/core/fetcher';
import { openTelegramApi, type TelegramApiRuntime } from '../../src/telegram-api/client';
import { redisUrl, uniqueName } from '../support/services';

const env = process.env;
const ready = Boolean(
  env.HYDRAWATCH_TG_API_ID &&
  env.HYDRAWATCH_TG_API_HASH &&
  (env.HYDRAWATCH_TG_SESSION || (env.HYDRAWATCH_TG_SESSION_KEY && env.HYDRAWATCH_TG_SESSION_FILE)) &&
  env.HYDRAWATCH_TG_LIVE_GROUP &&
  env.HYDRAWATCH_TG_LIVE_CHANNEL,
);
const live = ready ? describe : describe.skip;
if (!ready) {
  console.log(
    'test/live/telegram-api.test.ts skipped: set HYDRAWATCH_TG_API_ID, HYDRAWATCH_TG_API_HASH, HYDRAWATCH_TG_SESSION (or HYDRAWATCH_TG_SESSION_KEY and HYDRAWATCH_TG_SESSION_FILE), HYDRAWATCH_TG_LIVE_GROUP and HYDRAWATCH_TG_LIVE_CHANNEL to run it',
  );
}

const noFetch = {} as Fetcher; // the API crawler makes no HTTP request

live('telegram-api against Telegram (live)', () => {
  let redis: Redis;
  let api: TelegramApiRuntime;
  beforeAll(() => {
    redis = new IORedis(redisUrl());
    const settings = settingsSchema.parse({
      queue: { prefix: uniqueName('hwlive') },
      telegramApi: {
        apiId: Number(env.HYDRAWATCH_TG_API_ID),
        apiHash: env.HYDRAWATCH_TG_API_HASH,
        ...(env.HYDRAWATCH_TG_SESSION_FILE ? { sessionFile: env.HYDRAWATCH_TG_SESSION_FILE } : {}),
        requestsPerHour: 60,
        maxInlineWaitMs: 30_000,
      },
    });
    const opened = openTelegramApi(settings, redis);
    if (!opened) throw new Error('telegramApi did not open with the credentials given');
    api = opened;
  });
  afterAll(async () => {
    await api?.close();
    await redis?.quit();
  });

  const ctx = (): CrawlContext => ({ fetcher: noFetch, cursor: {}, now: () => new Date(), telegramApi: api.access });
  const source = (handle: string, read: 'messages' | 'comments'): TelegramApiSource =>
    sourceSchema.parse({ id: 'live', platform: 'telegram-api', handle, read, schedule: '0 * * * *', options: { backfillMessages: 20 } }) as TelegramApiSource;

  it('reads a public group: its member count and its latest messages', async () => {
    const out = await telegramApiCrawler.crawl(source(env.HYDRAWATCH_TG_LIVE_GROUP ?? '', 'messages'), ctx());
    expect(out.channel).toMatchObject({ status: 'active', kind: 'group' });
    expect(out.channel.platformId).toMatch(/^\d+$/);
    expect(out.channel.subscribers).toBeGreaterThan(0);
    expect(out.posts.length).toBeGreaterThan(0);
    expect(out.posts.length).toBeLessThanOrEqual(20);
    for (const p of out.posts) expect(p.publishedAt?.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
  }, 120_000);

  it("reads a channel's comments from its discussion group", async () => {
    const out = await telegramApiCrawler.crawl(source(env.HYDRAWATCH_TG_LIVE_CHANNEL ?? '', 'comments'), ctx());
    expect(out.channel).toMatchObject({ status: 'active', kind: 'group' });
    expect(out.posts.length).toBeGreaterThan(0);
    expect(out.posts.some((p) => p.replyTo?.url?.includes('?comment='))).toBe(true);
  }, 120_000);
});
