/** Code-unit string order: the same on every machine and locale (localeCompare is not, for ids like "tg:@x"). */
export function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
