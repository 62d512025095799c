import { HashListError, type HashListRow } from '../media/hash-lists';
import type { HashType } from '../store/media-types';

/** Splits CSV text into rows of cells (RFC 4180: quoted cells may hold commas, quotes doubled, and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

/**
 * ThreatExchange's UI CSV download (the columns facebook/ThreatExchange's te-tag-query documents: `td_raw_indicator`,
 * `td_subjective_tags` (`;`-separated), `td_owner_name`, `td_description`…). It has no hash-type column: 32 hex
 * digits are MD5, and 64 hex digits are `hash64` (PDQ for the media-hash-sharing tags, or SHA-256), which the caller
 * says. The label is the tags, the entity the owner.
 */
export function parseThreatExchangeCsv(text: string, file: string, hash64: Extract<HashType, 'pdq' | 'sha256'>): HashListRow[] {
  const [header, ...rows] = parseCsv(text);
  const cols = (header ?? []).map((h) => h.trim().toLowerCase());
  const at = (name: string): number => cols.indexOf(name);
  if (at('td_raw_indicator') < 0) throw new HashListError(file, 1, `not a ThreatExchange CSV: no "td_raw_indicator" column (got "${cols.join(',')}")`);
  return rows.map((cells, i) => {
    const value = (cells[at('td_raw_indicator')] ?? '').trim().toLowerCase();
    const type: HashType | undefined = /^[0-9a-f]{32}$/.test(value) ? 'md5' : /^[0-9a-f]{64}$/.test(value) ? hash64 : undefined;
    if (!type) throw new HashListError(file, i + 2, `td_raw_indicator is not an MD5, PDQ or SHA-256 hash: "${value.slice(0, 80)}"`);
    const get = (name: string): string | undefined => (at(name) >= 0 ? cells[at(name)]?.trim() || undefined : undefined);
    const tags = get('td_subjective_tags')?.split(';').filter(Boolean).join(', ');
    const owner = get('td_owner_name');
    return { type, value, label: tags ?? get('td_description') ?? '', ...(owner ? { entity: owner } : {}) };
  });
}
