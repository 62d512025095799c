import type { z } from 'zod';
import { archivePlatform } from './archive';
import { browserPlatform } from './browser';
import { htmlPlatform } from './html';
import type { ChannelKeySnapshot, EgressUrl, PlatformModule } from './platform-module';
import { rssPlatform } from './rss';
import { telegramPlatform } from './telegram';
import { telegramApiPlatform } from './telegram-api';
import { youtubePlatform } from './youtube';

/**
 * The platforms: one module each (crawlers/<platform>/platform.ts), keyed by its name. Adding a platform is one
 * folder and one line here (docs/adding-a-platform.md); the source schema (src/config/schema.ts), the parse
 * threads' tasks (src/parse/task-registry.ts), the crawler dispatch (src/app/crawler-registry.ts), the source labels
 * and base URLs, and the channel keys all read this object. The order is the platforms' order in docs and enums.
 */
export const platformModules = definePlatforms({
  telegram: telegramPlatform,
  rss: rssPlatform,
  html: htmlPlatform,
  browser: browserPlatform,
  youtube: youtubePlatform,
  archive: archivePlatform,
  'telegram-api': telegramApiPlatform,
});

type Modules = typeof platformModules;

/** Every key names its own module (`telegram: telegramPlatform`, not `rss: telegramPlatform`). */
function definePlatforms<T extends { [K in keyof T]: PlatformModule & { readonly platform: K } }>(modules: T): T {
  return modules;
}

/** The platforms' names. */
export type Platform = keyof Modules;
/** One platform's source, as its schema parses it. */
export type SourceOf<P extends Platform> = z.output<Modules[P]['sourceSchema']>;
/** Any source: the union of every platform's, narrowable on `platform`. */
export type Source = SourceOf<Platform>;
/** Each platform's module, typed by its own source (what the dispatch below calls through). */
export type PlatformModules = { readonly [P in Platform]: PlatformModule<Modules[P]['sourceSchema']> };

const modules: PlatformModules = platformModules;

/** The modules in registry order. */
export const PLATFORM_MODULES: ReadonlyArray<Modules[Platform]> = Object.values(platformModules);
/** The platforms' names in registry order. */
export const PLATFORMS: readonly Platform[] = PLATFORM_MODULES.map((m) => m.platform);

/** One platform's module. */
export function platformModule<P extends Platform>(platform: P): PlatformModules[P] {
  return modules[platform];
}

/** Pure: what a source watches, as people name it: Telegram handle (no `@`), a URL, a YouTube id, an Archive search. */
export function sourceLabel(source: Source): string {
  return labelOf(source.platform, source);
}

function labelOf<P extends Platform>(platform: P, source: SourceOf<P>): string {
  return modules[platform].label(source);
}

/** Pure: the base URL the source's crawler connects to (its host is the one rate- and concurrency-limited). */
export function sourceBaseUrl(source: Source): string {
  return baseUrlOf(source.platform, source);
}

function baseUrlOf<P extends Platform>(platform: P, source: SourceOf<P>): string {
  return modules[platform].baseUrl(source);
}

/**
 * Pure: the natural key of the channel a source points at: the platform's `channelKey` (Telegram: the numeric
 * channel id when known, so renames keep the key), else `<platform>:<source id>`.
 */
export function channelKeyFor(source: Source, snap: ChannelKeySnapshot | undefined, knownKeyForHandle?: string): string {
  return channelKeyOf(source.platform, source, snap, knownKeyForHandle);
}

function channelKeyOf<P extends Platform>(platform: P, source: SourceOf<P>, snap: ChannelKeySnapshot | undefined, known: string | undefined): string {
  const derive = modules[platform].channelKey;
  return derive ? derive(source, snap, known) : `${source.platform}:${source.id}`;
}

/** Pure: the URLs a source makes the crawlers connect to, with their path in the source (its proxy's is the caller's). */
export function sourceEgressUrls(source: Source): ReadonlyArray<EgressUrl> {
  return egressUrlsOf(source.platform, source);
}

function egressUrlsOf<P extends Platform>(platform: P, source: SourceOf<P>): ReadonlyArray<EgressUrl> {
  return modules[platform].egressUrls(source);
}

/** `hydrawatch sources list`: how a source is shown (the platform's `listLabel`, else its label). */
export function sourceListLabel(source: Source): string {
  return listLabelOf(source.platform, source);
}

function listLabelOf<P extends Platform>(platform: P, source: SourceOf<P>): string {
  const m = modules[platform];
  return m.listLabel ? m.listLabel(source) : m.label(source);
}

/** Where channel links in posts (of any platform) point when the platform's module does not say. */
export const DEFAULT_LINK_BASE = 'https://t.me';

/** Pure: where links to channels in the source's posts point (the platform's `linkBase`, else {@link DEFAULT_LINK_BASE}). */
export function sourceLinkBase(source: Source): string {
  return linkBaseOf(source.platform, source) ?? DEFAULT_LINK_BASE;
}

function linkBaseOf<P extends Platform>(platform: P, source: SourceOf<P>): string | undefined {
  return modules[platform].linkBase?.(source);
}

/** The platform a name names, if any (a command-line or query value). */
export function isPlatform(name: string): name is Platform {
  return Object.hasOwn(platformModules, name);
}
