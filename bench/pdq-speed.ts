/**
 * PDQ time per image: this TypeScript implementation vs `pdqhash` from PyPI (Meta's C++ reference through its Python
 * binding), side by side in one run. pdqhash is installed only for the bench, in .bench/venv.
 *   npx tsc -p . && node dist/bench/pdq-speed.js [repeats per batch] [rounds]
 *
 * Fairness: both sides are timed on already-decoded RGB pixels held in memory (decode excluded on both: ours gets
 * sharp's raw pixels, pdqhash gets PIL's pixels as a numpy array). Both hash every image once, untimed, before
 * any timing (warm-up: the JIT for ours, caches for both). pdqhash runs in a persistent Python process and the two
 * sides are timed in alternating batches, image by image and round by round, so that background load hits both
 * alike; each side's figure is the median over rounds of the per-hash time of a batch.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import sharp from 'sharp';
import { DOWNSAMPLE_DIMS, pdqFromPixels } from '../src/media/pdq-hash';
import { generateImage } from '../src/simulator/png';

const repo = resolve(__dirname, '../..');
const venv = join(repo, '.bench/venv');
const python = join(venv, 'bin/python');

function ensurePdqhash(): void {
  if (existsSync(python)) {
    try {
      execFileSync(python, ['-c', 'import pdqhash, PIL, numpy'], { stdio: 'ignore' });
      return;
    } catch {
      /* install below */
    }
  }
  console.log('installing pdqhash, pillow and numpy into .bench/venv (bench only)…');
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(join(venv, 'bin/pip'), ['install', '-q', 'pdqhash', 'pillow', 'numpy'], { stdio: 'inherit' });
}

/** The pdqhash side: one line per command on stdin, one line per answer on stdout. */
const PY_SERVER = `
import sys, time
import numpy as np
import pdqhash
from PIL import Image
imgs = {}
for line in sys.stdin:
    cmd, path, arg = line.rstrip("\\n").split("\\t")
    if cmd == "load":
        img = np.asarray(Image.open(path).convert("RGB"))
        imgs[path] = img
        pdqhash.compute(img)  # warm-up, untimed
        print(f"{img.shape[1]}\\t{img.shape[0]}", flush=True)
    else:
        img = imgs[path]
        n = int(arg)
        t0 = time.perf_counter()
        for _ in range(n):
            pdqhash.compute(img)
        print(f"{(time.perf_counter() - t0) * 1000 / n:.6f}", flush=True)
`;

class PdqhashProcess {
  private readonly proc = spawn(python, ['-c', PY_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  private readonly lines = createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();

  private async ask(cmd: string, path: string, arg = ''): Promise<string> {
    this.proc.stdin.write(`${cmd}\t${path}\t${arg}\n`);
    const r = await this.lines.next();
    if (r.done) throw new Error('pdqhash process ended');
    return r.value;
  }
  async load(path: string): Promise<void> {
    await this.ask('load', path);
  }
  /** ms per hash over n hashes. */
  async time(path: string, n: number): Promise<number> {
    return Number(await this.ask('time', path, String(n)));
  }
  close(): void {
    this.proc.stdin.end();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function main(): Promise<void> {
  const fixedRepeats = Number(process.argv[2] ?? 0);
  const rounds = Number(process.argv[3] ?? 5);
  ensurePdqhash();
  const shared = resolve(repo, '../shared/reference/pdq');
  const files = readFileSync(join(shared, 'expected-pdq.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => join(shared, l.split('\t')[0] as string));
  const gen = join(repo, '.bench/generated');
  mkdirSync(gen, { recursive: true });
  for (const seed of [1, 2, 3]) {
    const p = join(gen, `gen-${seed}-1024.png`);
    if (!existsSync(p))
      writeFileSync(
        p,
        await sharp(generateImage(seed, { width: 256, height: 256 }))
          .resize(1024, 1024)
          .png()
          .toBuffer(),
      );
    files.push(p);
  }

  const py = new PdqhashProcess();
  const images: Array<{ file: string; px: Uint8Array; width: number; height: number; channels: number; repeats: number }> = [];
  for (const f of files) {
    const { data, info } = await sharp(readFileSync(f)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const px = new Uint8Array(data.buffer, data.byteOffset, data.length);
    await py.load(f);
    images.push({ file: f, px, width: info.width, height: info.height, channels: info.channels, repeats: 1 });
  }
  // warm-up of ours on every image (pdqhash's was done on load), then batch sizes of ~30 ms unless given
  for (const im of images) for (let i = 0; i < 3; i++) pdqFromPixels(im.px, im.width, im.height, im.channels);
  for (const im of images) {
    if (fixedRepeats > 0) {
      im.repeats = fixedRepeats;
      continue;
    }
    const t0 = process.hrtime.bigint();
    pdqFromPixels(im.px, im.width, im.height, im.channels);
    const ours = Number(process.hrtime.bigint() - t0) / 1e6;
    const theirs = await py.time(im.file, 1);
    im.repeats = Math.max(2, Math.min(50, Math.ceil(30 / Math.max(ours, theirs, 0.01))));
  }

  const oursMs = images.map(() => [] as number[]);
  const refMs = images.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (const [k, im] of images.entries()) {
      const timeOurs = (): void => {
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < im.repeats; i++) pdqFromPixels(im.px, im.width, im.height, im.channels);
        oursMs[k]?.push(Number(process.hrtime.bigint() - t0) / 1e6 / im.repeats);
      };
      // alternate which side goes first
      if (r % 2 === 0) timeOurs();
      refMs[k]?.push(await py.time(im.file, im.repeats));
      if (r % 2 === 1) timeOurs();
    }
  }
  py.close();

  console.log(`PDQ hash time per image, side by side: both on already-decoded RGB pixels in memory (decode excluded on both sides)`);
  console.log(
    `both warmed up on every image first; batches alternate ours/pdqhash; median of ${rounds} rounds, ${fixedRepeats > 0 ? `${fixedRepeats}` : '~30 ms of'} hashes per batch`,
  );
  console.log(
    `(ours resizes images over ${DOWNSAMPLE_DIMS} px to ${DOWNSAMPLE_DIMS}×${DOWNSAMPLE_DIMS} first, like the reference's CLI; pdqhash.compute hashes them at full size)`,
  );
  console.log('image                               size        ours (ms)  pdqhash (ms)  ratio');
  let sumOurs = 0;
  let sumRef = 0;
  let worstSmall = 0;
  for (const [k, im] of images.entries()) {
    const ours = median(oursMs[k] ?? []);
    const theirs = median(refMs[k] ?? []);
    sumOurs += ours;
    sumRef += theirs;
    if (im.width <= DOWNSAMPLE_DIMS && im.height <= DOWNSAMPLE_DIMS) worstSmall = Math.max(worstSmall, ours / theirs);
    console.log(
      `${im.file.split('/').slice(-1)[0]?.padEnd(35)} ${`${im.width}x${im.height}`.padEnd(11)} ${ours.toFixed(3).padStart(9)} ${theirs.toFixed(3).padStart(13)} ${(ours / theirs).toFixed(2).padStart(6)}x`,
    );
  }
  console.log(
    `total                                           ${sumOurs.toFixed(2).padStart(9)} ${sumRef.toFixed(2).padStart(13)} ${(sumOurs / sumRef).toFixed(2).padStart(6)}x`,
  );
  console.log(
    `worst ratio on images <= ${DOWNSAMPLE_DIMS} px (no pre-resize on either side): ${worstSmall.toFixed(2)}x (goal: <= 1.50x) ${worstSmall <= 1.5 ? 'met' : 'MISSED'}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
