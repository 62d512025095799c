/**
 * PDQ time per image: this TypeScript implementation vs `pdqhash` from PyPI (Meta's C++ reference through its Python
 * binding), on the same decoded pixels, side by side. pdqhash is installed only for the bench, in .bench/venv.
 *   npx tsc -p . && node dist/bench/pdq-speed.js [repeats]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { pdqFromPixels } from '../src/media/pdq-hash';
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

async function main(): Promise<void> {
  const repeats = Number(process.argv[2] ?? 20);
  ensurePdqhash();
  const shared = resolve(repo, '../shared/reference/pdq');
  const files = readFileSync(join(shared, 'expected-pdq.tsv'), 'utf8').trim().split('\n').map((l) => join(shared, l.split('\t')[0] as string));
  const gen = join(repo, '.bench/generated');
  mkdirSync(gen, { recursive: true });
  for (const seed of [1, 2, 3]) {
    const p = join(gen, `gen-${seed}-1024.png`);
    if (!existsSync(p)) writeFileSync(p, await sharp(generateImage(seed, { width: 256, height: 256 })).resize(1024, 1024).png().toBuffer());
    files.push(p);
  }
  const py = execFileSync(python, [join(repo, 'bench/py/pdq_time.py'), String(repeats), ...files], { encoding: 'utf8' });
  const ref = new Map(py.trim().split('\n').map((l) => { const c = l.split('\t'); return [c[0] as string, Number(c[3])]; }));
  console.log(`PDQ hash time per image (decoded pixels in memory; ${repeats} repeats each)`);
  console.log('image                               size        ours (ms)  pdqhash (ms)  ratio');
  let sumOurs = 0;
  let sumRef = 0;
  for (const f of files) {
    const { data, info } = await sharp(readFileSync(f)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const px = new Uint8Array(data.buffer, data.byteOffset, data.length);
    pdqFromPixels(px, info.width, info.height, info.channels);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < repeats; i++) pdqFromPixels(px, info.width, info.height, info.channels);
    const ours = Number(process.hrtime.bigint() - t0) / 1e6 / repeats;
    const theirs = ref.get(f) ?? NaN;
    sumOurs += ours;
    sumRef += theirs;
    console.log(`${f.split('/').slice(-1)[0]?.padEnd(35)} ${`${info.width}x${info.height}`.padEnd(11)} ${ours.toFixed(3).padStart(9)} ${theirs.toFixed(3).padStart(13)} ${(ours / theirs).toFixed(2).padStart(6)}x`);
  }
  console.log(`total                                           ${sumOurs.toFixed(2).padStart(9)} ${sumRef.toFixed(2).padStart(13)} ${(sumOurs / sumRef).toFixed(2).padStart(6)}x`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
