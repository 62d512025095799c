import type { Collection } from 'mongodb';
import { collectionOf, type HasDb } from '../db-handle';

/** Handles pointed at (mentions, links, forwards) per day: one keyed document per day, capped (capped-set.ts). */
export const HANDLE_POINTERS = 'handle_pointers';

/** `hp:<day>`: handles pointed at that day: `h.<handle>.f` channels, `.o` how (mention/link/forward), `.t` tags. */
export interface HandlePointerDoc {
  _id: string;
  day: string;
  h: Record<string, { f?: string[]; o?: string[]; t?: string[] }>;
}

export function pointersCollection(store: HasDb): Collection<HandlePointerDoc> {
  return collectionOf<HandlePointerDoc>(store, HANDLE_POINTERS);
}
