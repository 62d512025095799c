import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Real pages that Telegram rendered, kept outside the repository: `shared/reference/telegram` beside the repo
 * (CI clones the repo next to a copy of `shared/`). Never copied into the repo. `HYDRAWATCH_REFERENCE_DIR` points
 * elsewhere.
 */
export const REFERENCE_DIR = process.env.HYDRAWATCH_REFERENCE_DIR ?? resolve(__dirname, '../..', '..', 'shared/reference/telegram');

export const haveReference = existsSync(join(REFERENCE_DIR, 'durov.s.html'));

/**
 * `describe` when the reference pages are there; else one failing test that says where they were looked for (the
 * body, which reads the pages while tests are collected, is not run): a run without them proves nothing.
 */
export function describeReference(name: string, fn: () => void): void {
  if (haveReference) {
    describe(name, fn);
    return;
  }
  describe(name, () => {
    it('has the real reference pages', () => {
      throw new Error(`no reference pages at ${REFERENCE_DIR}: put a copy of shared/reference/telegram beside the repository, or set HYDRAWATCH_REFERENCE_DIR`);
    });
  });
}

export function referenceFile(name: string): string {
  return readFileSync(join(REFERENCE_DIR, name), 'utf8');
}

export function referenceJson<T>(name: string): T {
  return JSON.parse(referenceFile(name)) as T;
}
