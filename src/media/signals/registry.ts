/**
 * The registry of signal types (src/core/signals/signal-type.ts): each fingerprint kind by its name. The media
 * matcher (media-matcher.ts) keeps one index per signal type of a stored media item, created here; the text
 * matching (text-clusters.ts) takes the MinHash text index from here, successor scoring the avatar and short-text
 * comparisons.
 */
import { MINHASH_TEXT_SIGNAL } from '../../core/signals/minhash-text';
import { SHORT_TEXT_SIGNAL } from '../../core/signals/short-text';
import type { ContentKind } from '../../core/signals/signal-type';
import { FRAME_BAG_SIGNAL } from './frame-bag';
import { AVATAR_PDQ_SIGNAL, PDQ_SIGNAL, PDQ_VIEW_SIGNAL } from './pdq';

export const SIGNAL_TYPES = {
  pdq: PDQ_SIGNAL,
  'pdq-view': PDQ_VIEW_SIGNAL,
  'video-frame-bag': FRAME_BAG_SIGNAL,
  'avatar-pdq': AVATAR_PDQ_SIGNAL,
  'minhash-text': MINHASH_TEXT_SIGNAL,
  'short-text': SHORT_TEXT_SIGNAL,
} as const;

export type SignalName = keyof typeof SIGNAL_TYPES;
export type AnySignalType = (typeof SIGNAL_TYPES)[SignalName];
/** The index a signal type creates. */
export type IndexOf<N extends SignalName> = ReturnType<(typeof SIGNAL_TYPES)[N]['createIndex']>;

export const SIGNAL_NAMES = Object.keys(SIGNAL_TYPES) as SignalName[];

export function isSignalName(name: string): name is SignalName {
  return Object.prototype.hasOwnProperty.call(SIGNAL_TYPES, name);
}

/** The signal type of a name; an unknown name is an error that lists the known ones. */
export function signalType(name: string): AnySignalType {
  if (!isSignalName(name)) throw new Error(`unknown signal type "${name}" (known: ${SIGNAL_NAMES.join(', ')})`);
  return SIGNAL_TYPES[name];
}

/** The signal types that fingerprint a kind of content. */
export function signalsFor(kind: ContentKind): SignalName[] {
  return SIGNAL_NAMES.filter((n) => SIGNAL_TYPES[n].contentKinds.includes(kind));
}
