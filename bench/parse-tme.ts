/**
 * Parse time per t.me/s page (20 posts, synthetic, as the simulator renders them), side by side with a bare
 * cheerio.load of the same page (the floor any cheerio parser pays) — prints ms/page and the ratio.
 *   npx tsc -p . && node dist/bench/parse-tme.js [pages]
 */
import * as cheerio from 'cheerio';
import { parseChannelPage } from '../crawlers/telegram/parse-channel-page';
import { parseScenario } from '../src/simulator/scenario';
import { SimWorld } from '../src/simulator/world';
import { renderChannelPage } from '../src/simulator/render';

function time(label: string, n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(50, n); i++) fn(i); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / n;
  console.log(`${label.padEnd(34)} ${ms.toFixed(3)} ms/page`);
  return ms;
}

const n = Number(process.argv[2] ?? 500);
const scenario = parseScenario(
  {
    name: 'bench',
    channels: [
      { handle: 'sim_bench_eng', channelId: '1900000001', title: 'Bench English', generate: { count: 400, language: 'eng', seed: 5, photoEvery: 3 } },
      { handle: 'sim_bench_arb', channelId: '1900000002', title: 'Bench Arabic', generate: { count: 400, language: 'arb', seed: 6, photoEvery: 4 } },
    ],
  },
  'bench',
);
const world = new SimWorld(scenario, () => new Date('2026-11-24T00:00:00Z'));
const pages: string[] = [];
for (const handle of ['sim_bench_eng', 'sim_bench_arb']) {
  const ch = world.channel(handle);
  if (!ch) throw new Error('bench channel missing');
  for (let before = 401; before > 21; before -= 20) pages.push(renderChannelPage(ch, 'http://127.0.0.1:8730', before));
}
const avgKb = pages.reduce((a, p) => a + Buffer.byteLength(p), 0) / pages.length / 1024;
console.log(`t.me/s page parse: ${pages.length} distinct pages, ${avgKb.toFixed(1)} KB each, 20 posts per page, ${n} parses per row`);
const bare = time('cheerio.load only (floor)', n, (i) => void cheerio.load(pages[i % pages.length] as string));
let posts = 0;
const full = time('parseChannelPage (all fields)', n, (i) => {
  posts += parseChannelPage(pages[i % pages.length] as string, { baseUrl: 'http://127.0.0.1:8730', handle: 'x' }).posts.length;
});
console.log(`ratio parseChannelPage / cheerio.load: ${(full / bare).toFixed(2)}x   (${(1000 / full).toFixed(0)} pages/s, ${(20000 / full).toFixed(0)} posts/s on one core; ${posts} posts parsed)`);
