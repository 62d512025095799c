import { randomUUID } from 'node:crypto';
import type { Store } from '../../store/store';
import type { TimelineFilter } from '../../research/query-filter';
import { extensionDefinition, extensionsUsed, type BuildContext, type ExtensionName, type StixObject } from './objects';
import { staticRecords, streamSource } from './read';
import { sourcesOf, type StixKind } from './sources';

/** Object ids remembered to leave out repeats (a channel several records refer to, a file seen in many posts). */
const SEEN_CAP = 200_000;

/**
 * Writes STIX objects as one bundle, streamed (pure): each object once (up to SEEN_CAP remembered ids; past that a
 * repeat may appear, which STIX consumers merge by id), each extension-definition before the first object using it.
 */
export class BundleWriter {
  private readonly seen = new Set<string>();
  private readonly declared = new Set<ExtensionName>();
  private first = true;
  count = 0;

  constructor(
    private readonly ctx: BuildContext,
    readonly id = `bundle--${randomUUID()}`,
  ) {}

  open(): string {
    return `{"type":"bundle","id":${JSON.stringify(this.id)},"objects":[`;
  }

  /** The JSON text of the objects not written yet (extension definitions they use first). */
  add(objects: readonly StixObject[]): string {
    let out = '';
    for (const o of objects) {
      for (const ext of extensionsUsed(o)) {
        if (this.declared.has(ext)) continue;
        this.declared.add(ext);
        out += this.write(extensionDefinition(ext, this.ctx));
      }
      out += this.write(o);
    }
    return out;
  }

  close(): string {
    return `${this.first ? '' : '\n'}]}\n`;
  }

  private write(o: StixObject): string {
    if (this.seen.has(o.id)) return '';
    if (this.seen.size < SEEN_CAP) this.seen.add(o.id);
    this.count++;
    const sep = this.first ? '\n' : ',\n';
    this.first = false;
    return `${sep}${JSON.stringify(o)}`;
  }
}

/**
 * A STIX 2.1 bundle of the records that match, kind after kind, each oldest first, as text chunks of about 64 KiB:
 * memory stays flat whatever the size (keyset pages of 500 records).
 */
export async function* stixBundleChunks(store: Store, kinds: readonly StixKind[], f: TimelineFilter, ctx: BuildContext): AsyncGenerator<string> {
  const w = new BundleWriter(ctx);
  let buf = w.open();
  // the producer and the marking; extension definitions come with their first use
  buf += w.add(
    staticRecords(ctx)
      .flatMap((r) => r.objects)
      .filter((o) => o.type !== 'extension-definition'),
  );
  for (const spec of sourcesOf(kinds)) {
    for await (const r of streamSource(store, spec, f, ctx)) {
      buf += w.add(r.objects);
      if (buf.length >= 64 * 1024) {
        yield buf;
        buf = '';
      }
    }
  }
  yield buf + w.close();
}
