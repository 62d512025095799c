import { archivePack } from './archive';
import { dsaVariant } from './dsa';
import { socialPack } from './social';
import { telegramPack } from './telegram';
import type { PackInput, ReportPack } from './types';
import { webPack } from './web';
import { youtubePack } from './youtube';

export { renderPack, renderText, renderHtml, renderJson } from './render';
export type { PackFormat, PackInput, PackVariant, ReportPack } from './types';
export { PACK_FORMATS, PACK_VARIANTS } from './types';

/** Pure: the report pack of a case for its platform, in the asked-for variant (platform or DSA Article 16 notice). */
export function buildPack(input: PackInput): ReportPack {
  const p = input.case.platform;
  const pack =
    p === 'telegram' || p === 'telegram-api' // the same channels and groups, read through the API
      ? telegramPack(input)
      : p === 'youtube'
        ? youtubePack(input)
        : p === 'archive'
          ? archivePack(input)
          : p === 'x' || p === 'facebook' || p === 'instagram'
            ? socialPack(input, p)
            : webPack(input);
  return input.variant === 'dsa' ? dsaVariant(pack, input.notifier) : pack;
}
