import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** What the resurfacing benches read of each alert mail: when it arrived and its (unfolded) subject. */
export interface CaughtMail {
  at: number;
  subject: string;
}

/** A real SMTP server on a free port that keeps the arrival time and subject of every mail (the benches' analyst inbox). */
export async function startMailCatcher(): Promise<{ smtpUrl: string; received: CaughtMail[]; close(): void }> {
  const received: CaughtMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _s, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString()));
      // long subjects are folded over several header lines: unfold before reading
      stream.on('end', () => {
        received.push({ at: Date.now(), subject: /^Subject: (.*)$/m.exec(raw.replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? '' });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  return {
    smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?tls=off`,
    received,
    close: () => smtp.close(() => undefined),
  };
}
