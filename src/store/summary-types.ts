/**
 * Keyed summary documents that keep the hot path's reads to `_id` look-ups of bounded size. Every array is capped
 * (see capped-set.ts) and every write is idempotent (`$addToSet`, `$set` of a distinct field): no shared counter.
 */

/** `tb:<band>`: the text clusters (at most `TEXT_BAND_CAP`) whose signatures have this LSH band. */
export interface TextBandDoc {
  _id: string;
  c: string[];
}

/** `<channelKey>`: what a channel posted, for successor scoring (first N distinct clusters). */
export interface ChannelSummaryDoc {
  _id: string;
  mediaClusters?: string[];
  textClusters?: string[];
  /** Hashes of its short posts (fewer than `text.minWords` words), see resurface/short-texts.ts. */
  shortTexts?: string[];
}

/** `hp:<day>`: handles pointed at that day: `h.<handle>.f` channels, `.o` how (mention/link/forward), `.t` tags. */
export interface HandlePointerDoc {
  _id: string;
  day: string;
  h: Record<string, { f?: string[]; o?: string[]; t?: string[] }>;
}

/** `succ:<successor>` (its predecessor and lineage) or `pred:<predecessor>` (its successors). */
export interface LineageDoc {
  _id: string;
  predecessor?: string;
  lineage?: string[];
  successors?: string[];
}

export interface MetaDoc {
  _id: string;
  version?: string;
  at?: Date;
}

/** handle → channel, one keyed document per handle: `_id` `tg:<lowercased handle>`. */
export interface ChannelHandleDoc {
  _id: string;
  channelKey: string;
  handle: string;
  at: Date;
}
