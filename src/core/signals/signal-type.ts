/**
 * One fingerprint interface (issue 19, item 4), after ThreatExchange's `SignalType` / `SignalTypeIndex`: each kind
 * of fingerprint (PDQ of photos, picture views, video frame bags, MinHash of long texts, hashes of short texts,
 * avatar PDQ) says what content it hashes, how its hash is written and read back, how two hashes compare, and
 * which index finds near hashes. Pure: the implementations are in `src/core/signals/` (texts) and
 * `src/media/signals/` (pictures, videos), the registry of names in `src/media/signals/registry.ts`.
 */

/** What a signal type fingerprints. */
export type ContentKind = 'photo' | 'avatar' | 'video' | 'text' | 'short-text';

/** Two hashes compared: their distance (the signal's unit) and whether that is a match under the threshold. */
export interface SignalComparison {
  distance: number;
  match: boolean;
}

/** One indexed hash near a query: its id and distance. */
export interface SignalMatch {
  id: string;
  distance: number;
}

/** An in-memory index of one signal type: add hashes by id, query the ids near a hash. */
export interface SignalIndex<A, Q = A, M extends SignalMatch = SignalMatch> {
  readonly size: number;
  has(id: string): boolean;
  add(id: string, hash: A): void;
  query(hash: Q): M[];
}

/**
 * A fingerprint kind.
 * - `H`: the hash (a hex string, a list of frame hashes, a MinHash signature);
 * - `C`: the content it is computed from; `fromContent` gives undefined when the content carries no signal (a text
 *   too short to say anything);
 * - `I`: its index (`createIndex`; an index may need a backing store, `X`);
 * - `T`: the threshold `compare` takes (a distance, or a set of shares for video relations), `threshold` by default.
 */
export interface SignalType<H, C, I, T = number, X extends unknown[] = []> {
  readonly name: string;
  readonly contentKinds: readonly ContentKind[];
  /** The threshold that counts as a match when `compare` is given none. */
  readonly threshold: T;
  fromContent(content: C): H | undefined;
  /** Reads (and validates) a hash as written by `format`; throws a SignalHashError naming what was wrong. */
  parse(text: string): H;
  format(hash: H): string;
  compare(a: H, b: H, threshold?: T): SignalComparison;
  createIndex(...backing: X): I;
}

/** A hash string a signal type cannot read: the message names the signal and what was wrong. */
export class SignalHashError extends Error {
  constructor(
    readonly signal: string,
    readonly problem: string,
    readonly value: string,
  ) {
    super(`${signal} hash: ${problem} (got "${value.length > 80 ? `${value.slice(0, 80)}…` : value}")`);
    this.name = 'SignalHashError';
  }
}

/** Checks a hex hash of `chars` characters (either case); returns it lower-cased. */
export function parseHexHash(signal: string, text: string, chars: number): string {
  if (typeof text !== 'string') throw new SignalHashError(signal, `expected a string of ${chars} hex characters, got ${typeof text}`, String(text));
  if (text.length !== chars) throw new SignalHashError(signal, `expected ${chars} hex characters, got ${text.length}`, text);
  const bad = text.search(/[^0-9a-fA-F]/);
  if (bad >= 0) throw new SignalHashError(signal, `not a hex character at position ${bad}: "${text[bad] as string}"`, text);
  return text.toLowerCase();
}
