import { newWebhookSecret } from '../share/webhooks/signature';

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
