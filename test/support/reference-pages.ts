import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Real pages that Telegram rendered, kept outside the repository: `shared/reference/telegram` beside the repo
 * (CI clones the repo next to a copy of `shared/`). Never copied into the repo.
 */
export const REFERENCE_DIR = resolve(__dirname, '../..', '..', 'shared/reference/telegram');

export const haveReference = existsSync(join(REFERENCE_DIR, 'durov.s.html'));

/** `describe` when the reference pages are there, else a skipped `describe` with a clear message. */
export const describeReference: jest.Describe = haveReference
  ? describe
  : (((name: string, fn: () => void) => {
      // eslint-disable-next-line no-console
      console.warn(`skipping "${name}": no reference pages at ${REFERENCE_DIR} (a copy of shared/reference/telegram beside the repository)`);
      return describe.skip(name, fn);
    }) as unknown as jest.Describe);

export function referenceFile(name: string): string {
  return readFileSync(join(REFERENCE_DIR, name), 'utf8');
}

export function referenceJson<T>(name: string): T {
  return JSON.parse(referenceFile(name)) as T;
}
