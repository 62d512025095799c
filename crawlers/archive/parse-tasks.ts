import type { ParseTask } from '../../src/core/parse-task';
import { assertJsonDepth } from '../json-depth';
import { assertJsonMarkupDepth } from '../json-markup-depth';
import { parseAdvancedSearch, parseItemMetadata, type ItemMetadata, type SearchResult } from './parse-archive';

/** The JSON's own nesting, then the HTML in its text fields, held to the cap before the parser reads it. */
function capped(body: string, maxDepth: number, what: string, url: string): void {
  assertJsonDepth(body, maxDepth, what, { url });
  assertJsonMarkupDepth(body, maxDepth, what, url);
}

/** An advanced-search answer (`/advancedsearch.php?…&output=json`). */
export const archiveSearchTask: ParseTask<{ body: string; url: string }, SearchResult> = {
  name: 'archiveSearch',
  what: 'Internet Archive advanced search',
  urlOf: (i) => i.url,
  run: (i, maxDepth) => {
    capped(i.body, maxDepth, 'Internet Archive advanced search', i.url);
    return parseAdvancedSearch(i.body, i.url);
  },
};

/** A metadata answer (`/metadata/<identifier>`). */
export const archiveMetadataTask: ParseTask<{ body: string; identifier: string; url: string }, ItemMetadata> = {
  name: 'archiveMetadata',
  what: 'Internet Archive item metadata',
  urlOf: (i) => i.url,
  run: (i, maxDepth) => {
    capped(i.body, maxDepth, 'Internet Archive item metadata', i.url);
    return parseItemMetadata(i.body, i.identifier, i.url);
  },
};
