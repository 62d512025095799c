import { createHash } from 'node:crypto';

/**
 * Deterministic STIX identifiers (pure). SCOs: UUIDv5 in the STIX namespace over the JCS-canonical JSON of their
 * ID-contributing properties (STIX 2.1 §2.9), so that any producer derives the same id for the same observable.
 * SDOs and SROs: UUIDv5 in hydrawatch's own namespace over a natural key (the store's `_id`), so a re-export gives
 * the same ids.
 */

/** The namespace STIX 2.1 gives for SCO identifiers. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** RFC 4122 version 5 (SHA-1) UUID of `name` in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** hydrawatch's namespace for SDO and SRO ids (itself a UUIDv5 of "hydrawatch" in the STIX namespace). */
export const HYDRAWATCH_NAMESPACE = uuidV5(STIX_SCO_NAMESPACE, 'hydrawatch');

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/**
 * RFC 8785 (JCS) canonical JSON: object keys sorted by UTF-16 code units, no whitespace, strings and numbers as
 * ECMAScript's JSON.stringify writes them (which JCS adopts).
 */
export function canonicalJson(v: Json): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k] as Json)}`).join(',')}}`;
}

/** `<type>--<uuid5>` of an SCO from its ID-contributing properties (absent ones left out). */
export function scoId(type: string, contributing: Record<string, Json | undefined>): string {
  const present: Record<string, Json> = {};
  for (const [k, v] of Object.entries(contributing)) if (v !== undefined) present[k] = v;
  return `${type}--${uuidV5(STIX_SCO_NAMESPACE, canonicalJson(present))}`;
}

/** `<type>--<uuid5>` of an SDO or SRO from hydrawatch's natural key of what it describes. */
export function sdoId(type: string, naturalKey: string): string {
  return `${type}--${uuidV5(HYDRAWATCH_NAMESPACE, `${type}:${naturalKey}`)}`;
}

/**
 * The one hash of a `hashes` dictionary that takes part in a file's id: STIX 2.1 names MD5, SHA-1, SHA-256 and
 * SHA-512 in that order of preference (as the `stix2` library does).
 */
export function idHash(hashes: Record<string, string>): Record<string, string> {
  for (const k of ['MD5', 'SHA-1', 'SHA-256', 'SHA-512']) {
    const v = hashes[k];
    if (v !== undefined) return { [k]: v };
  }
  const first = Object.keys(hashes).sort()[0];
  return first ? { [first]: hashes[first] as string } : {};
}
