import * as cheerio from 'cheerio';
import { parseCount } from './parse-helpers';

export interface StatusPage {
  status: 'removed' | 'private' | 'not_found';
  detail?: string;
  title?: string;
  subscribers?: number;
}

const BANNER = /(can[’'`]?t|cannot|can not) be displayed because it (violated|was used)|violated (local laws|telegram'?s terms)/i;

/** Classifies the `t.me/<handle>` page seen after `/s/<handle>` redirected away (pure). */
export function classifyStatusPage(html: string): StatusPage {
  const $ = cheerio.load(html, { scriptingEnabled: false });
  const candidates = [$('.tgme_page_description').text(), $('.tgme_page_additional').text(), $('meta[property="og:description"]').attr('content') ?? ''];
  const banner = candidates.map((t) => t.replace(/\s+/g, ' ').trim()).find((t) => BANNER.test(t));
  const title = $('.tgme_page_title').first().text().trim() || undefined;
  if (banner) return { status: 'removed', detail: banner, ...(title ? { title } : {}) };
  if (title) {
    const extra = $('.tgme_page_extra').first().text().trim();
    const subscribers = parseCount(/^([\d\s\u00a0.,KM]+)/i.exec(extra)?.[1]?.trim());
    return { status: 'private', detail: 'channel exists but has no public preview', title, ...(subscribers !== undefined ? { subscribers } : {}) };
  }
  return { status: 'not_found', detail: 'no channel with this handle' };
}
