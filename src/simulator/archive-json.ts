import type { SimIaItem } from './world';

/**
 * The Internet Archive's advanced search and metadata API in their real JSON shapes (test/fixtures/archive/README.md
 * names the saved responses they follow). Synthetic content only.
 */

/** Pure: does an item match the (small) Lucene subset the simulator understands: `collection:"x"`, `uploader:"x"`, words. */
export function matchesQuery(item: SimIaItem, q: string): boolean {
  let rest = q;
  for (const m of q.matchAll(/\b(collection|uploader|mediatype|identifier):"?([^"\s)]+)"?/g)) {
    const field = m[1] as string;
    const want = (m[2] as string).toLowerCase();
    const have =
      field === 'collection' ? item.collections : field === 'uploader' ? [item.uploader] : field === 'mediatype' ? [item.mediatype] : [item.identifier];
    if (!have.some((h) => h.toLowerCase() === want)) return false;
    rest = rest.replace(m[0], ' ');
  }
  const words = rest
    .replace(/\b(AND|OR|NOT)\b/g, ' ')
    .replace(/[()"]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  const hay = `${item.title} ${item.description}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

function utcSpaced(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
}

/** `/advancedsearch.php?q=…&output=json`: public items only (dark and missing ones are not found), newest first. */
export function renderAdvancedSearch(items: SimIaItem[], q: string, rows: number, fields: string[]): string {
  const found = items.filter((i) => i.state === 'public' && matchesQuery(i, q)).sort((a, b) => b.publicdate.localeCompare(a.publicdate));
  const fl = fields.length ? fields : ['identifier'];
  const docs = found.slice(0, rows).map((i) => {
    const all: Record<string, unknown> = {
      identifier: i.identifier,
      title: i.title,
      description: i.description,
      publicdate: new Date(i.publicdate).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      uploader: i.uploader,
      downloads: i.downloads,
      mediatype: i.mediatype,
      collection: i.collections,
    };
    return Object.fromEntries(fl.filter((f) => f in all).map((f) => [f, all[f]]));
  });
  return JSON.stringify({
    responseHeader: { status: 0, QTime: 12, params: { query: q, qin: q, fields: fl.join(','), wt: 'json', rows: String(rows), start: 0 } },
    response: { numFound: found.length, start: 0, docs },
  });
}

/** `/metadata/<identifier>`: the item with its files; dark: `is_dark`; missing: `{}`. */
export function renderItemMetadata(item: SimIaItem | undefined, videoBytes: number | undefined): string {
  if (!item || item.state === 'missing') return '{}';
  const envelope = {
    created: 1764000000,
    d1: 'ia800100.us.archive.org',
    d2: 'ia600100.us.archive.org',
    dir: `/1/items/${item.identifier}`,
    server: 'ia800100.us.archive.org',
    uniq: 1234567890,
    workable_servers: ['ia800100.us.archive.org', 'ia600100.us.archive.org'],
  };
  if (item.state === 'dark') return JSON.stringify({ ...envelope, is_dark: true });
  const files: Array<Record<string, string>> = [
    { name: '__ia_thumb.jpg', source: 'original', format: 'Item Tile', size: '14208' },
    { name: `${item.identifier}_meta.xml`, source: 'original', format: 'Metadata', size: '1071' },
  ];
  if (item.video && videoBytes !== undefined)
    files.unshift({ name: `${item.identifier}.mp4`, source: 'original', format: 'h.264', size: String(videoBytes), length: '6.0' });
  return JSON.stringify({
    ...envelope,
    files,
    files_count: files.length,
    item_last_updated: 1764000100,
    item_size: files.reduce((n, f) => n + Number(f.size), 0),
    metadata: {
      identifier: item.identifier,
      mediatype: item.mediatype,
      collection: item.collections,
      title: item.title,
      description: item.description,
      uploader: item.uploader,
      publicdate: utcSpaced(item.publicdate),
      addeddate: utcSpaced(item.publicdate),
    },
    reviews: [],
  });
}
