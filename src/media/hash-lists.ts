import { randomUUID } from 'node:crypto';
import { HASH_LISTS_META_ID } from './media-matcher';
import type { Store } from '../store/store';
import type { HashListEntryDoc, HashType } from './types';

/**
 * Known-hash lists (CSV or TSV): columns `hash` (PDQ hex, MD5 or SHA-256; the type is inferred from the length or
 * given in a `type` column), `label`, optional `entity` and `campaign`. A header row is required.
 */
export interface HashListRow {
  type: HashType;
  value: string;
  label: string;
  entity?: string;
  campaign?: string;
}

export class HashListError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'HashListError';
  }
}

function inferType(value: string): HashType | undefined {
  if (/^[0-9a-f]{32}$/.test(value)) return 'md5';
  if (/^[0-9a-f]{64}$/.test(value)) return undefined; // PDQ and SHA-256 are both 64 hex: needs a type column
  return undefined;
}

export function parseHashList(text: string, file: string): HashListRow[] {
  const lines = text.split(/\r?\n/);
  const sep = (lines[0] ?? '').includes('\t') ? '\t' : ',';
  const header = (lines[0] ?? '').split(sep).map((h) => h.trim().toLowerCase());
  const col = (name: string): number => header.indexOf(name);
  if (col('hash') < 0) throw new HashListError(file, 1, `header must name a "hash" column (got "${lines[0] ?? ''}")`);
  const rows: HashListRow[] = [];
  lines.slice(1).forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const cells = line.split(sep).map((c) => c.trim());
    const value = (cells[col('hash')] ?? '').toLowerCase();
    const given = col('type') >= 0 ? (cells[col('type')] ?? '').toLowerCase() : '';
    const type = (given || inferType(value)) as HashType | '';
    if (!type) throw new HashListError(file, i + 2, `cannot tell the hash type of "${value}": add a "type" column (pdq, md5 or sha256)`);
    if (!['pdq', 'md5', 'sha256'].includes(type)) throw new HashListError(file, i + 2, `unknown hash type "${type}"`);
    const want = type === 'md5' ? 32 : 64;
    if (!new RegExp(`^[0-9a-f]{${want}}$`).test(value)) throw new HashListError(file, i + 2, `not a ${type} hash: "${value}"`);
    const get = (n: string): string | undefined => (col(n) >= 0 && cells[col(n)] ? cells[col(n)] : undefined);
    rows.push({
      type: type as HashType,
      value,
      label: get('label') ?? '',
      ...(get('entity') ? { entity: get('entity') } : {}),
      ...(get('campaign') ? { campaign: get('campaign') } : {}),
    });
  });
  return rows;
}

export async function importHashList(store: Store, list: string, rows: HashListRow[], now: Date = new Date()): Promise<number> {
  for (const r of rows) {
    const doc: HashListEntryDoc = { _id: `hl:${r.type}:${r.value}:${list}`, list, importedAt: now, ...r };
    await store.hashLists.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }
  // matchers reload the lists when this version changes (one _id read every few seconds instead of the lists)
  await store.meta.updateOne({ _id: HASH_LISTS_META_ID }, { $set: { version: `${now.toISOString()}:${randomUUID()}`, at: now } }, { upsert: true });
  return rows.length;
}

/** Exports a list, or the PDQ/MD5/SHA-256 of every stored media item ("all"), as TSV. */
export async function exportHashList(store: Store, list: string): Promise<string> {
  const lines = ['type\thash\tlabel\tentity\tcampaign'];
  if (list === 'all') {
    for (const m of await store.mediaItems.find({}).toArray()) {
      lines.push(`sha256\t${m.sha256}\t${m.clusterId}\t\t`, `md5\t${m.md5}\t${m.clusterId}\t\t`);
      if (m.pdq) lines.push(`pdq\t${m.pdq}\t${m.clusterId}\t\t`);
    }
  } else {
    for (const e of await store.hashLists.find({ list }).toArray()) lines.push(`${e.type}\t${e.value}\t${e.label}\t${e.entity ?? ''}\t${e.campaign ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}
