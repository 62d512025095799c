/**
 * t.me/s page parse time: hydrawatch's streaming parser vs snscrape's Telegram parser (BeautifulSoup + lxml, as
 * `TelegramChannelScraper` runs it), side by side on the same saved HTML, offline. snscrape is installed only for
 * the bench, into .bench/venv (as bench:pdq does with pdqhash).
 *   npm run bench:parse            # or: npx tsc -p . && node dist/bench/parse-tme.js [iterations] [rounds]
 *
 * Pages: the real t.me/s page(s) in ../shared/reference/telegram (the figure that counts: median over them), then
 * simulator pages rendered in the same real markup with every post kind (shown apart).
 *
 * What is timed, per page: ours = `parseChannelPage(html)` (every field); snscrape = `BeautifulSoup(html, 'lxml')`
 * then `list(scraper._soup_to_items(soup, url))`, the two steps its `get_items` runs on each fetched page (its own
 * parse function, read from its source in the venv). CPU time of the process (user + system), per page, over a batch
 * of iterations; the two sides run in alternating batches, page by page and round by round, so background load
 * hits both alike; each figure is the median over rounds. Both sides parse every page once, untimed, first.
 *
 * Then the thread hop: the same pages parsed in this thread vs through the parse-thread pool the workers use
 * (src/parse/parse-pool.ts: structured clone there and back, Dates revived), wall-clock ms per page, side by side.
 *   node dist/bench/parse-tme.js [iterations] [rounds] --thread-hop-only   # skips snscrape
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseChannelPage } from '../crawlers/telegram/parse-channel-page';
import { parseScenario } from '../src/simulator/scenario';
import { SimWorld } from '../src/simulator/world';
import { renderChannelPage } from '../src/simulator/render';
import { createParsePool } from '../src/parse/parse-pool';
import { telegramChannelTask } from '../crawlers/telegram/parse-tasks';

const repo = resolve(__dirname, '../..');
const venv = join(repo, '.bench/venv');
const python = join(venv, 'bin/python');
const referenceDir = resolve(repo, '..', 'shared/reference/telegram');

function ensureSnscrape(): void {
  if (existsSync(python)) {
    try {
      execFileSync(python, ['-c', 'import snscrape.modules.telegram, bs4, lxml'], { stdio: 'ignore' });
      return;
    } catch {
      /* install below */
    }
  }
  console.log('installing snscrape (with beautifulsoup4 and lxml) into .bench/venv (bench only)…');
  if (!existsSync(python)) execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(join(venv, 'bin/pip'), ['install', '-q', 'snscrape', 'lxml'], { stdio: 'inherit' });
}

/** The snscrape side: one command per stdin line, one answer per stdout line. Parses offline: no request is made. */
const PY_SERVER = `
import sys, time
import bs4
import snscrape.modules.telegram as tg
scraper = tg.TelegramChannelScraper('bench')
pages = {}
def parse(html, url):
    soup = bs4.BeautifulSoup(html, 'lxml')
    return list(scraper._soup_to_items(soup, url))
for line in sys.stdin:
    cmd, path, arg = line.rstrip("\\n").split("\\t")
    if cmd == "load":
        with open(path, encoding="utf-8") as f:
            pages[path] = f.read()
        print(len(parse(pages[path], arg)), flush=True)  # warm-up, untimed
    else:
        html, n = pages[path], int(arg)
        t0 = time.process_time()
        for _ in range(n):
            parse(html, "https://t.me/s/bench")
        print(f"{(time.process_time() - t0) * 1000 / n:.6f}", flush=True)
`;

class SnscrapeProcess {
  private readonly proc = spawn(python, ['-c', PY_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  private readonly lines = createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();

  async ask(cmd: 'load' | 'time', path: string, arg: string): Promise<string> {
    this.proc.stdin.write(`${cmd}\t${path}\t${arg}\n`);
    const r = await this.lines.next();
    if (r.done) throw new Error('snscrape process ended');
    return r.value;
  }

  close(): void {
    this.proc.stdin.end();
  }
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

interface Page {
  name: string;
  path: string;
  html: string;
  real: boolean;
}

/** Simulator pages in the real markup, with every post kind (written to .bench/ so snscrape reads the same bytes). */
function simulatorPages(): Page[] {
  const scenario = parseScenario(
    {
      name: 'bench',
      channels: [
        {
          handle: 'sim_bench_mix',
          channelId: '1900000001',
          title: 'Bench Mix',
          generate: { count: 60, language: 'eng', seed: 5, photoEvery: 3 },
          posts: [
            { text: '', service: 'channel_created' },
            { text: 'video of the match', video: '1,2' },
            { text: '', roundVideo: '3' },
            { text: '', voiceSeconds: 12 },
            { text: '', audio: { title: 'Rain Song', performer: 'Sim Band' } },
            { text: 'menu', document: { fileName: 'soup.pdf', size: '12 KB' } },
            { text: '', sticker: 4 },
            { text: '', gif: '5' },
            { text: '', poll: { question: 'Best soup?', options: ['Tomato', 'Onion', 'Leek'] } },
            { text: '', location: { latitude: 48.85, longitude: 2.35, title: 'Sim Stadium' } },
            { text: '', service: 'pinned' },
          ],
        },
        { handle: 'sim_bench_arb', channelId: '1900000002', title: 'Bench Arabic', generate: { count: 60, language: 'arb', seed: 6, photoEvery: 4 } },
      ],
    },
    'bench',
  );
  const world = new SimWorld(scenario, () => new Date('2026-11-24T00:00:00Z'));
  const out: Page[] = [];
  mkdirSync(join(repo, '.bench/pages'), { recursive: true });
  for (const handle of ['sim_bench_mix', 'sim_bench_arb']) {
    const ch = world.channel(handle);
    if (!ch) throw new Error('bench channel missing');
    for (const before of [undefined, ch.posts.length - 19]) {
      const html = renderChannelPage(ch, 'https://t.me', before);
      const name = `${handle}${before ? `?before=${before}` : ''}`;
      const path = join(repo, '.bench/pages', `${handle}-${before ?? 'newest'}.html`);
      writeFileSync(path, html);
      out.push({ name, path, html, real: false });
    }
  }
  return out;
}

/** In-thread parse vs the parse-thread pool (one request at a time, so the figure is the hop's overhead). */
async function threadHop(pages: Page[], iterations: number, rounds: number): Promise<void> {
  const pool = createParsePool({ threads: 1, timeoutMs: 60_000, maxDepth: 256, memoryMb: 512 });
  const opts = { baseUrl: 'https://t.me', handle: 'bench' };
  for (const p of pages) await pool.run(telegramChannelTask, { html: p.html, ...opts }); // warm-up
  const local = new Map<string, number[]>(pages.map((p) => [p.path, []]));
  const hop = new Map<string, number[]>(pages.map((p) => [p.path, []]));
  for (let r = 0; r < rounds; r++) {
    for (const p of pages) {
      let t0 = performance.now();
      for (let i = 0; i < iterations; i++) parseChannelPage(p.html, opts);
      local.get(p.path)?.push((performance.now() - t0) / iterations);
      t0 = performance.now();
      for (let i = 0; i < iterations; i++) await pool.run(telegramChannelTask, { html: p.html, ...opts });
      hop.get(p.path)?.push((performance.now() - t0) / iterations);
    }
  }
  await pool.close();
  console.log(`\nthread hop, wall ms per page (median of ${rounds} rounds × ${iterations} parses): in this thread vs through the parse-thread pool`);
  console.log(`${'page'.padEnd(34)} ${'KB'.padStart(6)} ${'in-thread'.padStart(10)} ${'pool'.padStart(9)} ${'overhead'.padStart(9)} ${'ratio'.padStart(7)}`);
  const ratios: number[] = [];
  for (const p of pages) {
    const a = median(local.get(p.path) ?? []);
    const b = median(hop.get(p.path) ?? []);
    ratios.push(b / a);
    console.log(
      `${(p.real ? '' : 'sim ') + p.name}`.padEnd(34) +
        ` ${(Buffer.byteLength(p.html) / 1024).toFixed(1).padStart(6)} ${a.toFixed(3).padStart(10)} ${b.toFixed(3).padStart(9)} ${(b - a).toFixed(3).padStart(9)} ${`${(b / a).toFixed(2)}x`.padStart(7)}`,
    );
  }
  console.log(`median pool/in-thread ratio: ${median(ratios).toFixed(2)}x`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const iterations = Number(args[0] ?? 20);
  const rounds = Number(args[1] ?? 7);
  if (process.argv.includes('--thread-hop-only')) {
    const pages: Page[] = existsSync(referenceDir)
      ? readdirSync(referenceDir)
          .filter((n) => /\.s\.html$/.test(n))
          .sort()
          .map((f) => ({ name: f, path: join(referenceDir, f), html: readFileSync(join(referenceDir, f), 'utf8'), real: true }))
      : [];
    pages.push(...simulatorPages());
    await threadHop(pages, iterations, rounds);
    return;
  }
  ensureSnscrape();
  const pages: Page[] = [];
  if (existsSync(referenceDir)) {
    for (const f of readdirSync(referenceDir)
      .filter((n) => /\.s\.html$/.test(n))
      .sort()) {
      const path = join(referenceDir, f);
      pages.push({ name: f, path, html: readFileSync(path, 'utf8'), real: true });
    }
  } else {
    console.log(`no reference pages at ${referenceDir}: only simulator pages are timed`);
  }
  pages.push(...simulatorPages());

  const py = new SnscrapeProcess();
  const counts = new Map<string, [number, number]>();
  for (const p of pages) {
    const theirs = Number(await py.ask('load', p.path, 'https://t.me/s/bench'));
    const ours = parseChannelPage(p.html, { baseUrl: 'https://t.me', handle: 'bench' }).posts.length;
    counts.set(p.path, [ours, theirs]);
  }

  const oursMs = new Map<string, number[]>(pages.map((p) => [p.path, []]));
  const theirsMs = new Map<string, number[]>(pages.map((p) => [p.path, []]));
  for (let r = 0; r < rounds; r++) {
    for (const p of pages) {
      const t0 = cpuMs();
      for (let i = 0; i < iterations; i++) parseChannelPage(p.html, { baseUrl: 'https://t.me', handle: 'bench' });
      oursMs.get(p.path)?.push((cpuMs() - t0) / iterations);
      theirsMs.get(p.path)?.push(Number(await py.ask('time', p.path, String(iterations))));
    }
  }
  py.close();

  console.log(
    `t.me/s page parse, CPU ms per page (median of ${rounds} rounds × ${iterations} parses): hydrawatch (htmlparser2 stream) vs snscrape 0.7 (BeautifulSoup + lxml)`,
  );
  console.log(`${'page'.padEnd(34)} ${'KB'.padStart(6)} ${'posts'.padStart(9)} ${'ours ms'.padStart(9)} ${'snscrape ms'.padStart(12)} ${'ratio'.padStart(7)}`);
  const ratios = { real: [] as number[], sim: [] as number[] };
  for (const p of pages) {
    const ours = median(oursMs.get(p.path) ?? []);
    const theirs = median(theirsMs.get(p.path) ?? []);
    const [a, b] = counts.get(p.path) ?? [0, 0];
    const ratio = theirs / ours;
    (p.real ? ratios.real : ratios.sim).push(ratio);
    console.log(
      `${(p.real ? '' : 'sim ') + p.name}`.padEnd(34) +
        ` ${(Buffer.byteLength(p.html) / 1024).toFixed(1).padStart(6)} ${`${a}/${b}`.padStart(9)} ${ours.toFixed(3).padStart(9)} ${theirs.toFixed(3).padStart(12)} ${`${ratio.toFixed(1)}x`.padStart(7)}`,
    );
  }
  if (ratios.real.length)
    console.log(`median speed-up over the ${ratios.real.length} real page(s): ${median(ratios.real).toFixed(1)}x faster than snscrape (target ≥ 5x)`);
  if (ratios.sim.length) console.log(`median speed-up over the ${ratios.sim.length} simulator page(s): ${median(ratios.sim).toFixed(1)}x`);
  console.log('posts column: ours/snscrape (snscrape keeps service messages as posts too)');
  await threadHop(pages, iterations, rounds);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
