import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { TimelineAction } from './scenario';
import type { SimWorld } from './world';

/**
 * The simulated platforms' abuse desks: one SMTP server whose inboxes (one address per platform) receive
 * hydrawatch's reports. A reported URL the world knows is taken down `takedownAfterMs` later (a Telegram channel
 * removed with the terms-of-service banner, a YouTube video removed for violating the terms, an Internet Archive
 * item taken dark), unless its handle or id is in `ignore`: those stay online, as some reports do.
 */
export interface AbuseDeskOptions {
  /** The platforms' abuse addresses: only mail to one of them is a report (anything else goes to `others`). */
  addresses: readonly string[];
  takedownAfterMs: number;
  /** Handles, video ids or item identifiers the platform never acts on. */
  ignore?: readonly string[];
  port?: number;
  /** Called with each report received (after its takedowns are scheduled). */
  onReport?: (r: ReceivedReport) => void;
  /** Called with each mail to another address. */
  onOther?: (m: { to: string[]; subject: string }) => void;
}

export interface ReceivedReport {
  at: Date;
  to: string[];
  subject: string;
  text: string;
  /** URLs of the world found in the mail, and what the desk did with each. */
  urls: Array<{ url: string; target?: string; action: 'takedown_scheduled' | 'ignored' | 'unknown' }>;
}

export interface AbuseDesk {
  smtpUrl: string;
  inbox: ReceivedReport[];
  /** Mail to any other address (hydrawatch's alerts to analysts, when they share the SMTP server). */
  others: Array<{ to: string[]; subject: string }>;
  close(): Promise<void>;
}

/** Pure: the text/plain part of a raw RFC 5322 message, its transfer encoding (quoted-printable, base64) undone. */
export function plainTextOf(raw: string): string {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  const plain = parts.find((p) => /content-type:\s*text\/plain/i.test(p.split(/\r?\n\r?\n/)[0] ?? '')) ?? raw;
  const sep = /\r?\n\r?\n/.exec(plain);
  const head = sep ? plain.slice(0, sep.index) : '';
  const body = sep ? plain.slice(sep.index + sep[0].length) : plain;
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** Pure: what a reported URL on the simulator's own host points at, and the action that takes it down. */
export function takedownFor(world: SimWorld, url: URL): { target: string; action: TimelineAction } | undefined {
  const v = url.searchParams.get('v');
  if (url.pathname === '/watch' && v && world.ytVideos.has(v)) return { target: v, action: { step: 1, action: 'youtube_video_state', video: v, state: 'tos' } };
  const [first, second] = url.pathname.split('/').filter(Boolean);
  if (first === 'details' && second && world.iaItems.has(second))
    return { target: second, action: { step: 1, action: 'archive_item_state', identifier: second, state: 'dark' } };
  const handle = first === 's' ? second : first;
  if (handle && world.channel(handle)) return { target: handle.toLowerCase(), action: { step: 1, action: 'remove', channel: handle } };
  return undefined;
}

/** The public hosts the simulator stands in for (reports name t.me, youtube.com and archive.org URLs). */
const PLATFORM_HOSTS = new Set(['t.me', 'www.youtube.com', 'youtube.com', 'archive.org']);

const URL_RE = /https?:\/\/[^\s<>"')\]]+/g;

/** Starts the abuse desks' SMTP server for the world served at `simUrl`. */
export async function startAbuseDesk(world: SimWorld, simUrl: string, opts: AbuseDeskOptions): Promise<AbuseDesk> {
  const inbox: ReceivedReport[] = [];
  const others: AbuseDesk['others'] = [];
  const desks = new Set(opts.addresses.map((a) => a.toLowerCase()));
  const ignore = new Set((opts.ignore ?? []).map((s) => s.toLowerCase()));
  const origin = new URL(simUrl).origin;
  const timers = new Set<NodeJS.Timeout>();
  const receive = (to: string[], raw: string): void => {
    const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '';
    if (!to.some((a) => desks.has(a.toLowerCase()))) {
      others.push({ to, subject });
      opts.onOther?.({ to, subject });
      return;
    }
    const text = plainTextOf(raw);
    const urls: ReceivedReport['urls'] = [];
    for (const u of new Set(text.match(URL_RE) ?? [])) {
      const parsed = new URL(u.replace(/[.,;]+$/, ''));
      const found = parsed.origin === origin || PLATFORM_HOSTS.has(parsed.hostname) ? takedownFor(world, parsed) : undefined;
      if (!found) {
        urls.push({ url: u, action: 'unknown' });
        continue;
      }
      const ignored = ignore.has(found.target);
      urls.push({ url: u, target: found.target, action: ignored ? 'ignored' : 'takedown_scheduled' });
      if (ignored) continue;
      const timer = setTimeout(() => {
        timers.delete(timer);
        world.apply(found.action);
      }, opts.takedownAfterMs);
      timers.add(timer);
    }
    const report = { at: new Date(), to, subject, text, urls };
    inbox.push(report);
    opts.onReport?.(report);
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (d: Buffer) => chunks.push(d));
      stream.on('end', () => {
        receive(
          session.envelope.rcptTo.map((r) => r.address),
          Buffer.concat(chunks).toString('utf8'),
        );
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    smtpUrl: `smtp://127.0.0.1:${port}?tls=off`,
    inbox,
    others,
    close: () =>
      new Promise<void>((r) => {
        for (const t of timers) clearTimeout(t);
        const t = setTimeout(r, 2000);
        server.close(() => {
          clearTimeout(t);
          r();
        });
      }),
  };
}
