/**
 * The PDQ signal types (see src/core/signals/signal-type.ts): photos, the views of a picture, and avatars. All
 * three are 256-bit hashes written as 64 hex characters and compared by Hamming distance; they differ in what they
 * hash, their threshold and their index.
 */
import { parseHexHash, type ContentKind, type SignalType } from '../../core/signals/signal-type';
import type { DecodedImage } from '../decode-image';
import { MihIndex } from '../mih-index';
import { hamming, pdqFromPixels } from '../pdq-hash';
import { ViewIndex } from '../view-index';
import { DEFAULT_VIEW_OPTIONS, imageViews, type ViewOptions } from '../views';

/** `media.matchRadius`'s default: the largest distance the MIH index finds in full (see mih-slots.ts). */
export const PDQ_MATCH_RADIUS = 31;
/** Avatars: a distance up to this is a match whatever `media.matchRadius` says (score.ts, avatarSignal). */
export const AVATAR_MAX_DISTANCE = 31;

type PdqSignal<C, I> = SignalType<string, C, I>;

/** The parts every PDQ signal type shares: the hex form and the Hamming comparison. */
function pdqCode<C, I>(
  name: string,
  contentKinds: readonly ContentKind[],
  threshold: number,
  fromContent: (c: C) => string | undefined,
  createIndex: () => I,
): PdqSignal<C, I> {
  return {
    name,
    contentKinds,
    threshold,
    fromContent,
    parse: (text) => parseHexHash(name, text, 64),
    format: (h) => h,
    compare: (a, b, t = threshold) => {
      const distance = hamming(a, b);
      return { distance, match: distance <= t };
    },
    createIndex,
  };
}

const plainPdq = (img: DecodedImage): string => pdqFromPixels(img.pixels, img.width, img.height, img.channels).hash;

/**
 * PDQ of a photo (and of each video frame, see frame-bag.ts): a match within `media.matchRadius` (31 by default);
 * indexed in a multi-index hash (MihIndex, `inline` layout), which finds every hash within 31 bits. The 8 dihedral
 * variants (pdq-hash.ts, pdqDihedral) are looked up in the same index.
 */
export const PDQ_SIGNAL: PdqSignal<DecodedImage, MihIndex> = pdqCode('pdq', ['photo'], PDQ_MATCH_RADIUS, plainPdq, () => new MihIndex());

/**
 * A channel's avatar: the same PDQ, with its own threshold (31 bits, not `media.matchRadius`); compared pair by pair
 * in successor scoring, where the avatar's quality decides whether it counts at all (score.ts, avatarSignal).
 */
export const AVATAR_PDQ_SIGNAL: PdqSignal<DecodedImage, MihIndex> = pdqCode('avatar-pdq', ['avatar'], AVATAR_MAX_DISTANCE, plainPdq, () => new MihIndex());

/**
 * A picture's views (views.ts): PDQ-sized hashes of a small grey copy (borders trimmed, caption bands stripped, crop
 * windows, small rotations undone), compared only with views. `fromContent` gives the view of the picture as a whole
 * (base, or trimmed); `imageViews` gives all of them. Indexed per picture (ViewIndex, `check` layout).
 */
export const PDQ_VIEW_SIGNAL: PdqSignal<DecodedImage & { options?: ViewOptions }, ViewIndex> = pdqCode(
  'pdq-view',
  ['photo'],
  PDQ_MATCH_RADIUS,
  (img) =>
    imageViews(img.pixels, img.width, img.height, img.channels, img.options ?? DEFAULT_VIEW_OPTIONS).stored.find((v) => v.how === 'base' || v.how === 'trimmed')
      ?.hash,
  () => new ViewIndex(),
);
