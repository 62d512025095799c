import { createWriteStream } from 'node:fs';
import type { Store } from '../store/store';
import type { TlpLevel } from '../share/stix/tlp';
import { csvList, enumList, QueryInputError, timelineFilterFields, toTimelineFilter } from '../research/query-filter';
import { stixBundleChunks } from '../share/stix/bundle';
import { sourceFilter } from '../share/stix/read';
import { sourcesOf, STIX_KINDS, type StixKind } from '../share/stix/sources';

export const EXPORT_USAGE = `usage: hydrawatch export stix [--from T] [--to T] [--tag a,b] [--source a,b] [--channel tg:1,@handle] [--kind k1,k2] [--out FILE]
  A STIX 2.1 bundle (docs/sharing.md) on stdout or into FILE; every object marked with share.tlp.
  --from / --to   a date (2026-11-01, UTC) or an ISO time with zone; --to of a date includes that day
  --kind          ${STIX_KINDS.join(', ')} (default: all)`;

interface ExportIo {
  out(line: string): void;
  err(line: string): void;
  write(chunk: string): Promise<void>;
}

// `config` is the global --config (read by main.ts)
const FLAGS = ['from', 'to', 'tag', 'source', 'channel', 'kind', 'out', 'config'] as const;

function flags(args: string[]): Partial<Record<(typeof FLAGS)[number], string>> {
  const out: Partial<Record<(typeof FLAGS)[number], string>> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = (args[i] ?? '').replace(/^--/, '') as (typeof FLAGS)[number];
    const value = args[i + 1];
    if (!FLAGS.includes(name) || value === undefined) throw new QueryInputError(`unknown or incomplete option "${args[i] ?? ''}"`);
    out[name] = value;
  }
  return out;
}

function parse<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } } },
  v: string | undefined,
  name: string,
): T | undefined {
  if (v === undefined) return undefined;
  const r = schema.safeParse(v);
  if (!r.success) throw new QueryInputError(`--${name}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

/** `hydrawatch export stix …`: the same bundle as GET /api/v1/export/stix. Returns the exit code. */
export async function runExportCommand(store: Store, tlp: TlpLevel, args: string[], io: ExportIo): Promise<number> {
  if (args[0] !== 'stix') {
    io.err(EXPORT_USAGE);
    return 2;
  }
  const o = flags(args.slice(1));
  const f = toTimelineFilter({
    from: parse(timelineFilterFields.from, o.from, 'from'),
    to: parse(timelineFilterFields.to, o.to, 'to'),
    tag: parse(csvList, o.tag, 'tag'),
    source: parse(csvList, o.source, 'source'),
    channel: parse(csvList, o.channel, 'channel'),
  });
  const kinds = (parse(enumList(STIX_KINDS), o.kind, 'kind') ?? [...STIX_KINDS]) as StixKind[];
  for (const spec of sourcesOf(kinds)) await sourceFilter(store, spec, f); // a bad filter fails before anything is written
  const file = o.out ? createWriteStream(o.out) : undefined;
  const write = file ? (chunk: string) => new Promise<void>((res, rej) => (file.write(chunk) ? res() : file.once('drain', res).once('error', rej))) : io.write;
  for await (const chunk of stixBundleChunks(store, kinds, f, { tlp })) await write(chunk);
  if (file) {
    await new Promise<void>((res, rej) => file.end((err?: Error | null) => (err ? rej(err) : res())));
    io.err(`wrote ${o.out}`);
  }
  return 0;
}
