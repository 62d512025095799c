/**
 * Re-upload evaluation (issue 12): recall per edit family, false matches over all cross pairs, hard negatives and
 * intake time per image, BEFORE (plain PDQ + dihedral, the matching before issue 12) and AFTER (borders trimmed,
 * caption bands stripped, crop windows, small de-rotations), side by side; then videos: a known clip inside a
 * compilation, before (both sides ≥ 80%) and after (same / contains / contained in), with frame normalisation.
 * Pictures: real photographs (openly licensed scikit-image sample data fetched from PyPI at bench time, see
 * bench/real-photos.ts) and generated scenes (src/simulator/reupload-variants.ts), each edit family reported on both
 * side by side. Deterministic: sharp and ffmpeg.
 *   npm run bench:reupload            (≈ 3–4 minutes)
 *   node dist/bench/reupload-eval.js [pictures=48] [--no-real] [--no-images] [--no-video]
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
import { DEFAULT_VIEW_OPTIONS, imageViews, type HashView, type StoredHashView } from '../src/media/views';
import { EDITS, encodePicture, evalPicture, hardNegatives, sceneVideo, type EditFamily, type RawPicture } from '../src/simulator/reupload-variants';
import { loadRealPhotos } from './real-photos';
import { settingsSchema } from '../src/config/schema';

const media = settingsSchema.parse({}).media;
const RADIUS = media.matchRadius;

interface Fp {
  dihedral: string[];
  quality: number;
  views: { stored: StoredHashView[]; query: HashView[] };
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
    const stored = fp.views.stored.map((v) => ({ hash: v.hash, how: v.how }));
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

interface Original {
  id: string;
  set: PictureSet;
  bytes: Buffer;
}

type PictureSet = 'real' | 'generated';
const SETS: PictureSet[] = ['real', 'generated'];

/** Index memory of one stored view in the views index (check layout): 32 B hash + 128 B tables + 6 B owner/kind/k. */
const VIEW_BYTES = 166;

interface Tally {
  n: Record<PictureSet, number>;
  hit: Record<PictureSet, Record<Mode, number>>;
}
const tally = (): Tally => ({ n: { real: 0, generated: 0 }, hit: { real: { before: 0, after: 0 }, generated: { before: 0, after: 0 } } });

async function images(n: number): Promise<void> {
  const photos = process.argv.includes('--no-real') ? [] : await loadRealPhotos();
  console.log(
    `\nIMAGES: ${photos.length} real photographs and ${n} generated scenes (6 aspect ratios), ${EDITS.length} edits each, match radius ${RADIUS}, min quality ${media.minQuality}`,
  );
  if (photos.length) {
    console.log('real photographs (scikit-image sample data, fetched from PyPI by scripts/bench-photos.sh; scaled to <= 640 px):');
    for (const p of photos) console.log(`  ${p.file.padEnd(22)} ${p.what.padEnd(44)} ${p.licence}`);
  }
  const pictures: Array<{ id: string; set: PictureSet; picture: RawPicture }> = [
    ...photos.map((p, i) => ({ id: `r${i}`, set: 'real' as const, picture: p.picture })),
    ...Array.from({ length: n }, (_, i) => ({ id: `p${i}`, set: 'generated' as const, picture: evalPicture(i) })),
  ];
  const originals: Original[] = [];
  for (const p of pictures) originals.push({ id: p.id, set: p.set, bytes: await encodePicture(p.picture) });
  const negatives = await hardNegatives(6);
  const copies: Array<{ src: string; set: PictureSet; family: EditFamily; name: string; bytes: Buffer }> = [];
  for (const [i, p] of pictures.entries())
    for (const e of EDITS) copies.push({ src: p.id, set: p.set, family: e.family, name: e.name, bytes: await e.apply(p.picture, i) });
  const rows = new Map<string, Tally & { fam: string; via: Map<MatchedVia, number> }>();
  const fams = new Map<string, Tally>();
  type Summary = { falsePairs: Record<PictureSet, number>; pairs: Record<PictureSet, number>; negFalse: number; negPairs: number; minCross: number };
  const summary: Record<Mode, Summary> = {
    before: { falsePairs: { real: 0, generated: 0 }, pairs: { real: 0, generated: 0 }, negFalse: 0, negPairs: 0, minCross: 256 },
    after: { falsePairs: { real: 0, generated: 0 }, pairs: { real: 0, generated: 0 }, negFalse: 0, negPairs: 0, minCross: 256 },
  };
  const viewCounts: Record<PictureSet, number[]> = { real: [], generated: [] };
  /** Originals whose PDQ quality is below the minimum: never stored (by design), so left out of the recall. */
  const unstored = new Map<string, number>();
  for (const mode of ['before', 'after'] as Mode[]) {
    const store = new Store();
    const s = summary[mode];
    const fps: Fp[] = [];
    for (const o of originals) {
      const { fp } = await fingerprintImage(o.bytes, mode);
      fps.push(fp);
      store.add(o.id, fp);
      if (fp.quality < media.minQuality) unstored.set(o.id, fp.quality);
      if (mode === 'after') viewCounts[o.set].push(fp.views.stored.length);
    }
    for (let k = 0; k < negatives.length; k++) store.add(`neg${k}`, (await fingerprintImage((negatives[k] as { a: Buffer }).a, mode)).fp);
    const stored = originals.length + negatives.length;
    // originals against each other (every other stored picture is a cross pair)
    for (const [i, o] of originals.entries()) {
      const hits = store.match(fps[i] as Fp, mode).filter((h) => h.mediaId !== o.id);
      s.falsePairs[o.set] += hits.length;
      s.pairs[o.set] += stored - 1;
      for (let j = 0; j < i; j++) s.minCross = Math.min(s.minCross, hamDist((fps[i] as Fp).dihedral[0] as string, (fps[j] as Fp).dihedral[0] as string));
    }
    for (const c of copies) {
      const { fp } = await fingerprintImage(c.bytes, mode);
      const hits = store.match(fp, mode);
      const own = hits.find((h) => h.mediaId === c.src);
      s.falsePairs[c.set] += hits.filter((h) => h.mediaId !== c.src).length;
      s.pairs[c.set] += stored - 1;
      if (unstored.has(c.src)) continue; // never stored (below the minimum quality): a cross-pair query only
      let r = rows.get(c.name);
      if (!r) rows.set(c.name, (r = { ...tally(), fam: c.family, via: new Map() }));
      let f = fams.get(c.family);
      if (!f) fams.set(c.family, (f = tally()));
      if (mode === 'before') {
        r.n[c.set]++;
        f.n[c.set]++;
      }
      if (own) {
        r.hit[c.set][mode]++;
        f.hit[c.set][mode]++;
        if (mode === 'after') r.via.set(own.via, (r.via.get(own.via) ?? 0) + 1);
      }
    }
    for (const [k, neg] of negatives.entries()) {
      const hits = store.match((await fingerprintImage(neg.b, mode)).fp, mode);
      s.negPairs += 1;
      if (hits.some((h) => h.mediaId === `neg${k}`)) s.negFalse++;
      s.falsePairs.generated += hits.length;
      s.pairs.generated += stored;
    }
  }
  for (const [id, q] of unstored) {
    const i = Number(id.slice(1));
    const what = id.startsWith('r') ? (photos[i] as { file: string }).file : `generated scene ${i}`;
    console.log(`left out of the recall: ${what} (PDQ quality ${q} < ${media.minQuality}: never stored, by design); its copies count as cross pairs`);
  }
  const cols = (t: Tally): string =>
    SETS.map((set) => `${String(t.n[set]).padStart(5)} ${pct(t.hit[set].before, t.n[set]).padStart(7)} ${pct(t.hit[set].after, t.n[set]).padStart(7)}`).join(
      '   ',
    );
  console.log('\n                                                      REAL photographs        GENERATED scenes');
  console.log('edit                                   family       copies  BEFORE   AFTER   copies  BEFORE   AFTER   matched via (after)');
  for (const [name, r] of rows) {
    const via = [...r.via.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([v, k]) => `${v} ${k}`)
      .join(', ');
    console.log(`${name.padEnd(38)} ${r.fam.padEnd(10)} ${cols(r)}   ${via}`);
  }
  console.log('\n                         REAL photographs        GENERATED scenes');
  console.log('family                copies  BEFORE   AFTER   copies  BEFORE   AFTER   target');
  const target: Record<string, string> = {
    control: '>= 95%',
    crop: '>= 60%',
    'side-crop': '>= 60%',
    caption: '>= 60%',
    letterbox: '>= 60%',
    rotation: '>= 60%',
  };
  for (const [fam, f] of fams) console.log(`${fam.padEnd(21)} ${cols(f)}   ${target[fam] ?? ''}`);
  const b = summary.before;
  const a = summary.after;
  console.log('\n                                          BEFORE                AFTER');
  for (const set of SETS)
    console.log(
      `false matches / cross pairs, ${set.padEnd(10)}   ${`${b.falsePairs[set]} / ${b.pairs[set]}`.padEnd(21)} ${a.falsePairs[set]} / ${a.pairs[set]}   (target 0)`,
    );
  console.log(`hard negatives matched (crops of one scene, frames of one scene)   ${`${b.negFalse} / ${b.negPairs}`.padEnd(8)} ${a.negFalse} / ${a.negPairs}`);
  for (const set of SETS) {
    const v = viewCounts[set];
    if (!v.length) continue;
    const mean = v.reduce((x, y) => x + y, 0) / v.length;
    console.log(
      `stored views per picture, ${set.padEnd(10)} mean ${mean.toFixed(1)}, max ${Math.max(...v)} (windows configured: ${DEFAULT_VIEW_OPTIONS.windows.length}); views-index memory ~${((mean * VIEW_BYTES) / 1024).toFixed(1)} KiB a picture (${VIEW_BYTES} B a view), besides its plain PDQ`,
    );
  }
  // intake time: before and after interleaved image by image (the machine is shared: load hits both alike)
  const sample = [...originals.map((o) => o.bytes), ...copies.filter((_, i) => i % 7 === 0).map((c) => c.bytes)];
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
    `intake time per image, decode + all hashes (median of ${tb.length}, interleaved)   ${median(tb).toFixed(2)} ms -> ${median(ta).toFixed(2)} ms  (x${(median(ta) / median(tb)).toFixed(2)}; target <= x2.5)`,
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
