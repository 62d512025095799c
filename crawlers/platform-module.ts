import type { z } from 'zod';
import type { ChannelSnapshot } from '../src/core/model';
import type { AnyParseTask } from '../src/core/parse-task';
import type { TargetCheck } from '../src/core/report-case';
import type { RecheckContext, RecheckTarget } from './recheck-fetch';
import type { Crawler, SourceBase } from './types';

/** The zod schema of one platform's sources: what `config/sources.yaml` may say for it (an object with a literal `platform`). */
export type SourceSchema = z.ZodType<SourceBase> & z.core.$ZodTypeDiscriminable;

/** Where the local simulator (src/simulator/) serves a platform's formats, and the fixtures that name the real responses. */
export interface SimulatorPointer {
  /** The simulator's files that render this platform's pages or answers (repository paths). */
  readonly markup: readonly string[];
  /** The fixtures folder whose README names the real responses the formats follow, when there is one. */
  readonly fixtures?: string;
}

/**
 * Everything hydrawatch knows of one platform, in one place (`crawlers/<platform>/index.ts` exports it, and
 * crawlers/registry.ts lists it): its sources' schema, how a source is named, where it connects (the rate-limited host
 * and every URL the egress check sees), its `sources add` flags, its crawler, the parse tasks its crawler sends to the
 * parse threads, how its channels are keyed, where links in its posts point, and where the simulator has it. The
 * crawl hooks that read or write the store are not here (crawlers/ imports only the core): see
 * src/pipeline/platforms/ and docs/adding-a-platform.md.
 */
export interface PlatformModule<Schema extends SourceSchema = SourceSchema> {
  readonly platform: z.output<Schema>['platform'];
  /** The source's keys (spread `baseSourceShape` from src/core/sources.ts, add `platform: z.literal(…)` and its own). */
  readonly sourceSchema: Schema;
  readonly crawler: Crawler<z.output<Schema>>;
  /** What a source watches, as people name it: a handle, a URL, a channel id, a search. */
  label(source: z.output<Schema>): string;
  /** The base URL the crawler connects to: its host is the one rate- and concurrency-limited. */
  baseUrl(source: z.output<Schema>): string;
  /**
   * The URLs a source makes the crawler connect to, each with its key path in the source (`['options', 'baseUrl']`):
   * the config-time egress check (src/config/source-egress.ts) refuses a non-public one. The `proxy` is added for all.
   */
  egressUrls(source: z.output<Schema>): ReadonlyArray<EgressUrl>;
  /** `hydrawatch sources add`: the keys of this platform's source its flags set (`--handle @x` → `handle: x`). */
  readonly addFlags: readonly AddFlag[];
  /** `hydrawatch sources list`: how the source is shown. Unset: its label. */
  listLabel?(source: z.output<Schema>): string;
  /** The parse tasks the crawler sends to the parse threads (src/parse/task-registry.ts runs them by name). */
  readonly parseTasks: readonly AnyParseTask[];
  /**
   * The natural key of the channel a source points at (`_id` of `channels`). Unset: `<platform>:<source id>`.
   * `knownKeyForHandle` is what the platform's `channelKeyByHandle` crawl hook found for the source's label.
   */
  channelKey?(source: z.output<Schema>, snap: ChannelKeySnapshot | undefined, knownKeyForHandle: string | undefined): string;
  /**
   * Where links to channels in its posts point (`https://t.me/<handle>` links name a handle: mirrors and the simulator
   * have their own base URL). Unset: `https://t.me`.
   */
  linkBase?(source: z.output<Schema>): string;
  /**
   * One re-check of a reported URL on this platform (a channel or a post): online (with its views where the page
   * shows them), offline (how, and the page's own words) or unknown. A URL the platform cannot read: UnknownTargetUrlError.
   */
  recheckTarget(ctx: RecheckContext, target: RecheckTarget): Promise<TargetCheck>;
  /** Where the simulator serves this platform, when it does. */
  readonly simulator?: SimulatorPointer;
}

/** A URL of a source, and where in the source it is written. */
export interface EgressUrl {
  readonly key: readonly string[];
  readonly url: string;
}

/** A flag of `hydrawatch sources add` (`--<flag> value`) and the source key it sets, the value cleaned when it says how. */
export interface AddFlag {
  readonly key: string;
  readonly flag: string;
  clean?(value: string): string;
}

/** What of a channel snapshot a channel key may use. */
export type ChannelKeySnapshot = Pick<ChannelSnapshot, 'platformId' | 'handle'>;

/** Checks a module against the interface and keeps its precise type (its schema's, for the source union). */
export function definePlatform<Schema extends SourceSchema>(module: PlatformModule<Schema>): PlatformModule<Schema> {
  return module;
}
