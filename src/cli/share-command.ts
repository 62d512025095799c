import { writeFile } from 'node:fs/promises';
import { mispFilterOf } from '../share/misp/filter';
import { buildMispEvent } from '../share/misp/build';
import { readMispInput } from '../share/misp/read';
import { newWebhookSecret } from '../share/webhooks/signature';
import type { Store } from '../store/store';

export interface ShareIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const WEBHOOKS_USAGE = 'usage: hydrawatch webhooks secret   (prints a new whsec_ secret for webhooks[].secret)';

/** `hydrawatch webhooks secret`: a fresh Standard Webhooks secret for a subscription in settings.yaml. */
export function runWebhooksCommand(args: string[], io: ShareIo): number {
  if (args[0] !== 'secret') {
    io.err(WEBHOOKS_USAGE);
    return 2;
  }
  io.out(newWebhookSecret());
  return 0;
}

export const EXPORT_USAGE = 'usage: hydrawatch export misp [--from T] [--to T] [--tag TAG] [--channel KEY] [--out FILE]';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** `hydrawatch export misp`: the MISP event the API's /api/v1/export/misp gives, to stdout or a file. */
export async function runExportCommand(store: Store, args: string[], io: ShareIo & { write: (s: string) => Promise<void> }): Promise<number> {
  if (args[0] !== 'misp') {
    io.err(EXPORT_USAGE);
    return 2;
  }
  const q = { from: flag(args, 'from'), to: flag(args, 'to'), tag: flag(args, 'tag'), channel: flag(args, 'channel') };
  const f = mispFilterOf(q);
  const event = buildMispEvent(await readMispInput(store, f));
  const json = `${JSON.stringify(event, null, 2)}\n`;
  const out = flag(args, 'out');
  if (out) {
    await writeFile(out, json);
    io.err(`wrote ${event.Event.Object.length} MISP objects to ${out}`);
  } else await io.write(json);
  return 0;
}
