/**
 * Re-upload evaluation (issue 12): recall per edit family, false matches over all cross pairs, hard negatives and
 * intake time per image, BEFORE (plain PDQ + dihedral, the matching before issue 12) and AFTER (borders trimmed,
 * caption bands stripped, crop windows, small de-rotations), side by side; then videos: a known clip inside a
 * compilation, before (both sides ≥ 80%) and after (same / contains / contained in), with frame normalisation.
 * Deterministic: generated scenes (src/simulator/reupload-variants.ts), sharp and ffmpeg. No real pictures.
 *   npm run bench:reupload            (≈ 1–2 minutes)
 *   node dist/bench/reupload-eval.js [pictures=48]
 */
import { decodeImage } from '../src/media/decode-image';
import { isVideoMatch, videoMatch, type WindowedBag } from '../src/media/frame-bag';
import { frameBagThreshold, relateBags } from '../src/media/signals/frame-bag';
import { SIGNAL_TYPES } from '../src/media/signals/registry';
import { pdqDihedral, pdqFromPixels } from '../src/media/pdq-hash';
import type { MatchedVia } from '../src/media/types';
import { extractFrames, videoFingerprint, videoPrintOptions } from '../src/media/video-frames';
import { parseWindows } from '../src/media/video-print';
import { bestPerItem, matchPicture, type PictureHit } from '../src/media/view-match';
import { DEFAULT_VIEW_OPTIONS, imageViews, type HashView } from '../src/media/views';
import { EDITS, encodePicture, evalPicture, hardNegatives, sceneVideo, type EditFamily } from '../src/simulator/reupload-variants';
import { settingsSchema } from '../src/config/schema';

const media = settingsSchema.parse({}).media;
const RADIUS = media.matchRadius;

interface Fp {
  dihedral: string[];
  quality: number;
  views: { stored: HashView[]; query: HashView[] };
}

type Mode = 'before' | 'after';

async function fingerprintImage(bytes: Buffer, mode: Mode): Promise<{ fp: Fp; ms: number }> {
  const t0 = process.hrtime.bigint();
  const img = await decodeImage(bytes, { maxPixels: 60_000_000 });
  const d = pdqDihedral(img.pixels, img.width, img.height, img.channels);
  const views =
    mode === 'after'
      ? imageViews(img.pixels, img.width, img.height, img.channels, { ...DEFAULT_VIEW_OPTIONS, minQuality: media.minQuality })
      : { stored: [], query: [] };
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { fp: { dihedral: d.map((x) => x.hash), quality: (d[0] as { quality: number }).quality, views }, ms };
}

class Store {
  readonly images = SIGNAL_TYPES.pdq.createIndex();
  readonly views = SIGNAL_TYPES['pdq-view'].createIndex();
  add(id: string, fp: Fp): void {
    if (fp.quality < media.minQuality) return;
    this.images.add(id, fp.dihedral[0] as string);
    const stored = fp.views.stored.flatMap((v) => (v.how === 'rotated' ? [] : [{ hash: v.hash, how: v.how }]));
    if (stored.length) this.views.addPicture(id, stored);
  }
  match(fp: Fp, mode: Mode): PictureHit[] {
    if (fp.quality < media.minQuality) return [];
    return bestPerItem(
      matchPicture({ dihedral: fp.dihedral, views: fp.views.query }, this, {
        radius: RADIUS,
        extraProbe: mode === 'after' ? 'exact-chunks' : 'full',
        views: mode === 'after',
      }),
    );
  }
}

const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;

async function images(n: number): Promise<void> {
  console.log(`\nIMAGES: ${n} generated scenes (6 aspect ratios), ${EDITS.length} edits each, match radius ${RADIUS}, min quality ${media.minQuality}`);
  const originals: Buffer[] = [];
  for (let i = 0; i < n; i++) originals.push(await encodePicture(evalPicture(i)));
  const negatives = await hardNegatives(6);
  const copies: Array<{ src: number; family: EditFamily; name: string; bytes: Buffer }> = [];
  for (let i = 0; i < n; i++) {
    const p = evalPicture(i);
    for (const e of EDITS) copies.push({ src: i, family: e.family, name: e.name, bytes: await e.apply(p, i) });
  }
  const rows: Record<string, { fam: string; n: number; hit: Record<Mode, number>; via: Map<MatchedVia, number> }> = {};
  const fams: Record<string, { n: number; hit: Record<Mode, number> }> = {};
  const summary: Record<Mode, { falsePairs: number; pairs: number; negFalse: number; negPairs: number; ms: number[]; minCross: number }> = {
    before: { falsePairs: 0, pairs: 0, negFalse: 0, negPairs: 0, ms: [], minCross: 256 },
    after: { falsePairs: 0, pairs: 0, negFalse: 0, negPairs: 0, ms: [], minCross: 256 },
  };
  for (const mode of ['before', 'after'] as Mode[]) {
    const store = new Store();
    const s = summary[mode];
    const fps: Fp[] = [];
    for (let i = 0; i < n; i++) {
      const { fp, ms } = await fingerprintImage(originals[i] as Buffer, mode);
      s.ms.push(ms);
      fps.push(fp);
      store.add(`p${i}`, fp);
    }
    for (let k = 0; k < negatives.length; k++) store.add(`neg${k}`, (await fingerprintImage((negatives[k] as { a: Buffer }).a, mode)).fp);
    const stored = n + negatives.length;
    // originals against each other (every other stored picture is a cross pair)
    for (let i = 0; i < n; i++) {
      const hits = store.match(fps[i] as Fp, mode).filter((h) => h.mediaId !== `p${i}`);
      s.falsePairs += hits.length;
      s.pairs += stored - 1;
      for (let j = 0; j < i; j++) s.minCross = Math.min(s.minCross, hamDist((fps[i] as Fp).dihedral[0] as string, (fps[j] as Fp).dihedral[0] as string));
    }
    for (const c of copies) {
      const { fp, ms } = await fingerprintImage(c.bytes, mode);
      s.ms.push(ms);
      const hits = store.match(fp, mode);
      const own = hits.find((h) => h.mediaId === `p${c.src}`);
      const others = hits.filter((h) => h.mediaId !== `p${c.src}`);
      s.falsePairs += others.length;
      s.pairs += stored - 1;
      const r = (rows[c.name] ??= { fam: c.family, n: 0, hit: { before: 0, after: 0 }, via: new Map() });
      const f = (fams[c.family] ??= { n: 0, hit: { before: 0, after: 0 } });
      if (mode === 'before') {
        r.n++;
        f.n++;
      }
      if (own) {
        r.hit[mode]++;
        f.hit[mode]++;
        if (mode === 'after') r.via.set(own.via, (r.via.get(own.via) ?? 0) + 1);
      }
    }
    for (const [k, neg] of negatives.entries()) {
      const hits = store.match((await fingerprintImage(neg.b, mode)).fp, mode);
      s.negPairs += 1;
      if (hits.some((h) => h.mediaId === `neg${k}`)) s.negFalse++;
      s.falsePairs += hits.length;
      s.pairs += stored;
    }
  }
  console.log('\nedit                                   family      copies   recall BEFORE   recall AFTER   matched via (after)');
  for (const [name, r] of Object.entries(rows)) {
    const via = [...r.via.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([v, k]) => `${v} ${k}`)
      .join(', ');
    console.log(
      `${name.padEnd(38)} ${r.fam.padEnd(10)} ${String(r.n).padStart(6)} ${pct(r.hit.before, r.n).padStart(15)} ${pct(r.hit.after, r.n).padStart(14)}   ${via}`,
    );
  }
  console.log('\nfamily        copies   recall BEFORE   recall AFTER   target');
  const target: Record<string, string> = { control: '>= 95%', crop: '>= 60%', caption: '>= 60%', letterbox: '>= 60%', rotation: '>= 60%' };
  for (const [fam, f] of Object.entries(fams))
    console.log(
      `${fam.padEnd(12)} ${String(f.n).padStart(7)} ${pct(f.hit.before, f.n).padStart(15)} ${pct(f.hit.after, f.n).padStart(14)}   ${target[fam] ?? ''}`,
    );
  const b = summary.before;
  const a = summary.after;
  console.log('\n                                          BEFORE            AFTER');
  console.log(
    `false matches / cross pairs               ${`${b.falsePairs} / ${b.pairs}`.padEnd(17)} ${a.falsePairs} / ${a.pairs}   (rate ${pct(b.falsePairs, b.pairs)} -> ${pct(a.falsePairs, a.pairs)}; target <= 0.1%)`,
  );
  console.log(`hard negatives matched (crops of one scene, frames of one scene)   ${`${b.negFalse} / ${b.negPairs}`.padEnd(8)} ${a.negFalse} / ${a.negPairs}`);
  // intake time: before and after interleaved image by image (the machine is shared: load hits both alike)
  const sample = [...originals, ...copies.filter((_, i) => i % 7 === 0).map((c) => c.bytes)];
  const tb: number[] = [];
  const ta: number[] = [];
  for (let r = 0; r < 3; r++) {
    for (const bytes of sample) {
      const first: Mode = r % 2 ? 'after' : 'before';
      const x = (await fingerprintImage(bytes, first)).ms;
      const y = (await fingerprintImage(bytes, first === 'before' ? 'after' : 'before')).ms;
      tb.push(first === 'before' ? x : y);
      ta.push(first === 'before' ? y : x);
    }
  }
  console.log(
    `intake time per image, decode + all hashes (median of ${tb.length}, interleaved)   ${median(tb).toFixed(2)} ms -> ${median(ta).toFixed(2)} ms  (x${(median(ta) / median(tb)).toFixed(2)}; target <= x2)`,
  );
  console.log(`closest pair of unrelated originals (plain PDQ): ${b.minCross} bits`);
}

function hamDist(x: string, y: string): number {
  let d = 0;
  for (let i = 0; i < 64; i++) {
    let v = parseInt(x[i] as string, 16) ^ parseInt(y[i] as string, 16);
    while (v) {
      d += v & 1;
      v >>= 1;
    }
  }
  return d;
}

const frameCache = new Map<Buffer, Uint8Array[]>();

/**
 * BEFORE: frames at 1 fps, plain PDQ (the matching before issue 12). AFTER: the intake's video print (issues 12 and
 * 23: media.videoFps, bars and bands, strip windows; src/media/video-frames.ts videoFingerprint).
 */
async function bag(video: Buffer, normalise: boolean): Promise<WindowedBag> {
  if (normalise) {
    const p = await videoFingerprint(video, videoPrintOptions(media));
    return { frames: p.frames, windows: p.windows.map(parseWindows) };
  }
  let frames = frameCache.get(video);
  if (!frames) {
    frames = await extractFrames(video, { fps: 1, maxSeconds: media.maxVideoSeconds, maxFrames: media.maxFrames, timeoutMs: media.timeoutMs });
    frameCache.set(video, frames);
  }
  const hashes = frames.map((f) => pdqFromPixels(f, 256, 256, 3));
  return {
    frames: [...(SIGNAL_TYPES['video-frame-bag'].fromContent({ frames: hashes, dedupDistance: media.frameDedupDistance, minQuality: media.minQuality }) ?? [])],
  };
}

async function videos(): Promise<void> {
  const K = 9;
  console.log(
    `\nVIDEOS: ${K} known clips (5 scenes, 2 s each, 160x120), each inside a compilation (3 + clip + 3 other scenes, scaled to 256x192, re-encoded);`,
  );
  console.log(`also each clip letterboxed into 16:9 and with a caption band drawn over it; frames at 1 fps before, ${media.videoFps} fps after`);
  const clips: Buffer[] = [];
  const comps: Buffer[] = [];
  const boxed: Buffer[] = [];
  const captioned: Buffer[] = [];
  for (let k = 0; k < K; k++) {
    const seeds = [0, 1, 2, 3, 4].map((i) => 20000 + k * 10 + i);
    const fill = (o: number) => [0, 1, 2].map((i) => 30000 + k * 10 + o + i);
    clips.push(await sceneVideo(seeds, { secondsPer: 2 }));
    comps.push(await sceneVideo([...fill(0), ...seeds, ...fill(5)], { secondsPer: 2, filter: 'scale=256:192' }));
    boxed.push(await sceneVideo(seeds, { secondsPer: 2, filter: 'scale=160:120,pad=240:120:40:0:black' }));
    captioned.push(
      await sceneVideo(seeds, {
        secondsPer: 2,
        filter:
          "drawbox=x=0:y=ih*0.82:w=iw:h=ih*0.18:color=black:t=fill,drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf:text='SHARE NOW':x=8:y=h*0.86:fontsize=14:fontcolor=white",
      }),
    );
  }
  const threshold = frameBagThreshold(media);
  const table: Array<[string, string, string]> = [];
  for (const mode of ['before', 'after'] as Mode[]) {
    const norm = mode === 'after';
    const clipBags = await Promise.all(clips.map((c) => bag(c, norm)));
    const compBags = await Promise.all(comps.map((c) => bag(c, norm)));
    const boxBags = await Promise.all(boxed.map((c) => bag(c, norm)));
    const capBags = await Promise.all(captioned.map((c) => bag(c, norm)));
    const decide = (q: WindowedBag, s: WindowedBag): string | undefined => {
      if (mode === 'before')
        return isVideoMatch(videoMatch(q.frames, s.frames, RADIUS), media.videoStoredMatchPct, media.videoQueryMatchPct) ? 'video' : undefined;
      return relateBags(q, s, threshold)?.via;
    };
    const run = (queries: WindowedBag[], stored: WindowedBag[]) => {
      let hit = 0;
      let falses = 0;
      let pairs = 0;
      const vias = new Map<string, number>();
      queries.forEach((q, i) =>
        stored.forEach((s, j) => {
          const v = decide(q, s);
          if (i === j) {
            if (v) {
              hit++;
              vias.set(v, (vias.get(v) ?? 0) + 1);
            }
          } else {
            pairs++;
            if (v) falses++;
          }
        }),
      );
      return `${hit}/${queries.length} found, ${falses}/${pairs} false${vias.size ? ` (${[...vias].map(([v, c]) => `${v} ${c}`).join(', ')})` : ''}`;
    };
    const results = [
      ['compilation (new) containing a stored clip', run(compBags, clipBags)],
      ['clip (new) inside a stored compilation', run(clipBags, compBags)],
      ['clip letterboxed into 16:9', run(boxBags, clipBags)],
      ['clip with a caption band over it', run(capBags, clipBags)],
      [
        'unrelated clips against each other',
        run(
          clipBags,
          clipBags.map(() => ({ frames: [] })),
        ).replace(/^0\/\d+ found, /, ''),
      ],
    ];
    results.forEach(([name, r], i) => {
      if (mode === 'before') table.push([name as string, r as string, '']);
      else (table[i] as [string, string, string])[2] = r as string;
    });
    // unrelated clips: false matches among the stored clips themselves
    let falses = 0;
    let pairs = 0;
    clipBags.forEach((q, i) =>
      clipBags.forEach((s, j) => {
        if (i === j) return;
        pairs++;
        if (decide(q, s)) falses++;
      }),
    );
    (table[4] as [string, string, string])[mode === 'before' ? 1 : 2] = `${falses}/${pairs} false`;
  }
  console.log('\nvideo case                                    BEFORE                           AFTER');
  for (const [name, b, a] of table) console.log(`${name.padEnd(45)} ${b.padEnd(32)} ${a}`);
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 48);
  const t0 = Date.now();
  if (!process.argv.includes('--no-images')) await images(n);
  if (!process.argv.includes('--no-video')) await videos();
  console.log(`\n(bench ran ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
