import { rename, writeFile } from 'node:fs/promises';
import { isMap, isSeq, parseDocument, YAMLSeq, type Document } from 'yaml';
import { ConfigError } from './format-issues';
import { aliasBudgetIssue } from './yaml-budget';
import { parseSourcesYaml, parseYamlWith, readConfigFile } from './load-sources';
import { settingsSchema, type Settings, type Source } from './schema';
import { sourceEgressIssues } from './source-egress';
import type { EgressPolicy } from '../net/egress/policy';

export interface EditOptions {
  /** When set, the edited source's URLs and proxy must pass this egress policy (no DNS: address literals). */
  egress?: EgressPolicy;
}

/**
 * Edits of the YAML config made by the API and the CLI. Comments and the order of untouched entries are kept; the
 * whole file is validated before it is written (atomically), so a bad edit changes nothing. Running schedulers and
 * workers pick the new file up by themselves (hot reload).
 */

export class ConfigEditError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409,
  ) {
    super(message);
    this.name = 'ConfigEditError';
  }
}

async function readOr(path: string, fallback: string): Promise<string> {
  try {
    const text = await readConfigFile(path);
    const aliases = aliasBudgetIssue(text, path); // refused before parseDocument, as the loaders do
    if (aliases) throw new ConfigError([aliases]);
    return text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw err;
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

function sourcesSeq(doc: Document): YAMLSeq {
  const seq = doc.get('sources');
  if (isSeq(seq)) return seq;
  const fresh = new YAMLSeq();
  doc.set('sources', fresh);
  return fresh;
}

function indexOfId(seq: YAMLSeq, id: string): number {
  return seq.items.findIndex((n) => isMap(n) && n.get('id') === id);
}

async function commitSources(path: string, doc: Document, opts: EditOptions = {}, editedId?: string): Promise<Source[]> {
  const next = doc.toString();
  const check = parseSourcesYaml(next, path);
  if (!check.ok) throw new ConfigError(check.errors);
  if (opts.egress && editedId !== undefined) {
    const refused = sourceEgressIssues(next, path, check.sources, opts.egress, new Set([editedId]));
    if (refused.length) throw new ConfigError(refused);
  }
  await writeAtomic(path, next);
  return check.sources;
}

/** Appends a source; its id must be new. Returns the source as validated (defaults filled in). */
export async function addSource(path: string, entry: Record<string, unknown>, opts: EditOptions = {}): Promise<Source> {
  const doc = parseDocument(await readOr(path, 'sources: []\n'));
  const seq = sourcesSeq(doc);
  if (typeof entry.id === 'string' && indexOfId(seq, entry.id) >= 0) throw new ConfigEditError(`source "${entry.id}" exists already in ${path}`, 409);
  seq.add(doc.createNode(entry));
  const all = await commitSources(path, doc, opts, typeof entry.id === 'string' ? entry.id : undefined);
  return all.find((s) => s.id === entry.id) as Source;
}

/** Replaces the source with this id (the entry's id must stay the same). */
export async function replaceSource(path: string, id: string, entry: Record<string, unknown>, opts: EditOptions = {}): Promise<Source> {
  const doc = parseDocument(await readOr(path, 'sources: []\n'));
  const seq = sourcesSeq(doc);
  const i = indexOfId(seq, id);
  if (i < 0) throw new ConfigEditError(`no source "${id}" in ${path}`, 404);
  if (entry.id !== undefined && entry.id !== id) throw new ConfigEditError(`the id cannot change (path has "${id}", body has "${String(entry.id)}")`, 409);
  seq.set(i, doc.createNode({ ...entry, id }));
  const all = await commitSources(path, doc, opts, id);
  return all.find((s) => s.id === id) as Source;
}

export async function removeSource(path: string, id: string): Promise<void> {
  const doc = parseDocument(await readOr(path, 'sources: []\n'));
  const seq = sourcesSeq(doc);
  const i = indexOfId(seq, id);
  if (i < 0) throw new ConfigEditError(`no source "${id}" in ${path}`, 404);
  seq.delete(i);
  await commitSources(path, doc);
}

export type AlertRule = Settings['alerts']['rules'][number];

/** Replaces `alerts.rules` in settings.yaml (validated with the whole settings file). */
export async function setAlertRules(path: string, rules: unknown[]): Promise<AlertRule[]> {
  let doc = parseDocument(await readOr(path, '{}\n'));
  if (!isMap(doc.contents)) doc = parseDocument('{}\n');
  doc.setIn(['alerts', 'rules'], doc.createNode(rules));
  const next = doc.toString();
  const check = parseYamlWith(next, path, settingsSchema);
  if (!check.ok) throw new ConfigError(check.errors);
  await writeAtomic(path, next);
  return check.value.alerts.rules;
}
