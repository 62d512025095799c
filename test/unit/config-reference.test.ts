/**
 * docs/config-reference.md against the zod schemas of src/config/schema.ts: every key a settings file or a source
 * may hold is documented, and every key documented exists.
 *
 * Key paths: `a.b.c` for nested objects, `a.b[].c` for the objects of a list (`alerts.rules[].name`); a list of plain
 * values, an empty object and any other value is a leaf (`net.allow`, `options` of an rss source). In the reference,
 * keys are the code spans of a table row's first cell; `{x,y}` lists siblings (`resurface.weights.{handle,title}`), a
 * trailing `[]` marks a list (`api.tokens[]`), and a cell that names a platform in parentheses ("`options.waitFor`
 * (browser)") applies to that platform only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { settingsSchema, sourceSchema, PLATFORMS } from '../../src/config/schema';

const REFERENCE = join(__dirname, '..', '..', 'docs', 'config-reference.md');

interface SchemaKeys {
  /** Every key a document must name. */
  leaves: Set<string>;
  /** Every path, lists and objects included (what a documented key may name). */
  all: Set<string>;
}

/** The schema under defaults, optionals, pipes (preprocess) and the like. */
function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    return unwrap(schema.unwrap() as z.ZodType);
  }
  if (schema instanceof z.ZodPipe) {
    const input = schema.in as z.ZodType;
    return unwrap(input instanceof z.ZodTransform ? (schema.out as z.ZodType) : input);
  }
  return schema;
}

function walk(schema: z.ZodType, path: string, keys: SchemaKeys): void {
  const inner = unwrap(schema);
  if (path !== '') keys.all.add(path);
  if (inner instanceof z.ZodObject && Object.keys(inner.shape).length > 0) {
    for (const [key, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) walk(child, path === '' ? key : `${path}.${key}`, keys);
    return;
  }
  if (inner instanceof z.ZodArray) {
    const element = unwrap(inner.element as z.ZodType);
    if (element instanceof z.ZodObject && Object.keys(element.shape).length > 0) {
      keys.all.add(`${path}[]`);
      walk(element, `${path}[]`, keys);
      return;
    }
  }
  keys.leaves.add(path);
}

function schemaKeys(schema: z.ZodType): SchemaKeys {
  const keys: SchemaKeys = { leaves: new Set(), all: new Set() };
  walk(schema, '', keys);
  return keys;
}

/** The schema of each platform's source, from the discriminated union. */
function platformSchemas(): Map<string, z.ZodType> {
  const byPlatform = new Map<string, z.ZodType>();
  for (const option of sourceSchema.options) byPlatform.set(option.shape.platform.value, option);
  return byPlatform;
}

/** `a.{b,c}.d` → `a.b.d`, `a.c.d`. */
function expandBraces(key: string): string[] {
  const m = /^(.*?)\{([^{}]*)\}(.*)$/.exec(key);
  if (!m) return [key];
  const [, head = '', list = '', tail = ''] = m;
  return list
    .split(',')
    .map((part) => part.trim())
    .flatMap((part) => expandBraces(`${head}${part}${tail}`));
}

interface DocRow {
  section: string;
  line: number;
  keys: string[];
  /** Platforms named in parentheses in the first cell, if any. */
  only: string[];
}

/** The key cells of every table row, with the `##`/`###` heading they are under. */
function documentedRows(markdown: string): DocRow[] {
  const rows: DocRow[] = [];
  let section = '';
  markdown.split('\n').forEach((text, i) => {
    if (/^#{2,3} /.test(text)) section = text;
    if (!text.startsWith('|') || /^\|\s*-/.test(text)) return;
    const first = text.split('|')[1] ?? '';
    if (/^\s*(key|variable)\s*$/.test(first)) return;
    const spans = [...first.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    const keys = spans.flatMap(expandBraces).map((k) => k.replace(/\[\]$/, ''));
    const only = [...first.replace(/`[^`]*`/g, '').matchAll(/\(([\w-]+)\)/g)]
      .map((m) => m[1] ?? '')
      .filter((p) => (PLATFORMS as readonly string[]).includes(p));
    rows.push({ section, line: i + 1, keys, only });
  });
  return rows;
}

/** Documented keys of one scope: the settings, or the sources of one platform. */
function documentedKeys(rows: DocRow[], scope: 'settings' | string): Map<string, number> {
  const keys = new Map<string, number>();
  for (const row of rows) {
    let applies: boolean;
    if (scope === 'settings') applies = row.section === '## settings.yaml';
    else {
      const named = [...row.section.matchAll(/platform: ([\w-]+)/g)].map((m) => m[1] ?? '');
      applies = row.section === '### Keys of every source' || named.includes(scope);
      if (row.only.length > 0) applies = applies && row.only.includes(scope);
    }
    if (applies) for (const key of row.keys) keys.set(key, row.line);
  }
  return keys;
}

function missingAndStale(schema: SchemaKeys, documented: Map<string, number>): { missing: string[]; stale: string[] } {
  const missing = [...schema.leaves].filter((k) => !documented.has(k)).sort();
  const stale = [...documented].filter(([k]) => !schema.all.has(k)).map(([k, line]) => `${k} (docs/config-reference.md:${line})`);
  return { missing, stale };
}

describe('docs/config-reference.md documents exactly the keys of src/config/schema.ts', () => {
  const rows = documentedRows(readFileSync(REFERENCE, 'utf8'));

  it('walks the schemas to their leaves (sanity check of the walker)', () => {
    const settings = schemaKeys(settingsSchema);
    expect(settings.leaves).toContain('resurface.weights.sharedText');
    expect(settings.leaves).toContain('alerts.rules[].kinds');
    expect(settings.leaves).toContain('net.allow');
    expect(settings.all).toContain('alerts.rules');
    const telegram = schemaKeys(platformSchemas().get('telegram') as z.ZodType);
    expect(telegram.leaves).toContain('options.backfillPages');
    expect(telegram.leaves).toContain('rateLimit.perSeconds');
    expect(platformSchemas().size).toBe(PLATFORMS.length);
    expect(expandBraces('a.{b,c}.d')).toEqual(['a.b.d', 'a.c.d']);
  });

  it('settings.yaml: every key documented, no key documented that does not exist', () => {
    expect(missingAndStale(schemaKeys(settingsSchema), documentedKeys(rows, 'settings'))).toEqual({ missing: [], stale: [] });
  });

  it.each([...PLATFORMS])('sources.yaml, platform %s: every key documented, no key documented that does not exist', (platform) => {
    const schema = platformSchemas().get(platform);
    expect(schema).toBeDefined();
    expect(missingAndStale(schemaKeys(schema as z.ZodType), documentedKeys(rows, platform))).toEqual({ missing: [], stale: [] });
  });
});
