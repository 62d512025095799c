import { resolve } from 'node:path';

/** Where the repo root is (for scripts/, config/), from dist/src/app or src/app. */
export function repoRoot(): string {
  const here = __dirname;
  return here.includes(`${'/'}dist${'/'}`) ? resolve(here, '../../..') : resolve(here, '../..');
}
