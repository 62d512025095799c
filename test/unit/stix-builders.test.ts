import type { ChannelDoc, EventDoc } from '../../src/store/repos/channels';
import type { PostTakedownDoc } from '../../src/store/repos/post-checks';
import { canonicalJson, HYDRAWATCH_NAMESPACE, scoId, uuidV5 } from '../../src/share/stix/ids';
import {
  channelAccountId,
  channelTakedownToObservedData,
  channelToUserAccount,
  EXTENSIONS,
  mediaToFile,
  PDQ_HASH_KEY,
  postTakedownToObservedData,
  postToUrl,
  postUrl,
  producerIdentity,
  resurfacingToRelationship,
  type StixObject,
} from '../../src/share/stix/objects';
import { BundleWriter } from '../../src/share/stix/bundle';
import { staticRecords } from '../../src/share/stix/read';
import { TLP_LEVELS, tlpMarking, tlpMarkingId } from '../../src/share/stix/tlp';
import { settingsSchema } from '../../src/config/schema';
import { timeBuckets } from '../../src/core/time-buckets';

const ctx = { tlp: 'amber' as const };
const T = new Date('2026-11-02T08:00:00Z');
const H = 3600_000;

function channel(id: string, handle: string, extra: Partial<ChannelDoc> = {}): ChannelDoc {
  return {
    _id: id,
    platform: 'telegram',
    handle,
    handles: [handle],
    status: 'active',
    firstSeenAt: T,
    consecutiveFailures: 0,
    sourceIds: ['s'],
    lastCheckedAt: T,
    ...extra,
  };
}

function event(ch: string, type: EventDoc['type'], at: Date, data: Record<string, unknown>): EventDoc {
  return {
    _id: `${ch}:${type}:${at.toISOString()}`,
    channelKey: ch,
    sourceId: 's',
    platform: 'telegram',
    type,
    at,
    buckets: timeBuckets(at),
    handle: 'h',
    data,
  };
}

const pred = channel('tg:100', 'alpha_news', { platformId: '100', status: 'removed', title: 'Alpha' });
const succ = channel('tg:101', 'alpha_news1', { platformId: '101', title: 'Alpha 1' });

describe('STIX ids', () => {
  it('UUIDv5 matches RFC 4122 (the DNS namespace example) and the stix2 library', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(HYDRAWATCH_NAMESPACE).toBe('a9fb45eb-ec6d-51e2-9e12-5ded62965624');
    // ids the Python stix2 library (3.0.2) derives for the same observables
    expect(scoId('user-account', { account_type: 'telegram', user_id: '100', account_login: 'alpha_news' })).toBe(
      'user-account--c3fe14b1-6d4d-575b-82c5-80792d8db72b',
    );
    expect(postUrl({ platform: 'telegram', handle: 'alpha_news', postId: '1' })).toBe('https://t.me/alpha_news/1');
    expect(scoId('url', { value: 'https://t.me/alpha_news/1' })).toBe('url--e56c630f-9d16-5f3e-8de5-0602ff43fe67');
    const file = mediaToFile({ sha256: 'a'.repeat(64), md5: 'b'.repeat(32), pdq: 'f'.repeat(64), bytes: 1, contentType: 'image/jpeg' }, ctx);
    expect(file.id).toBe('file--aba4f1e7-e3b9-59a9-a722-60a6ada7a8ec');
    expect(mediaToFile({ sha256: 'a'.repeat(64), md5: '', bytes: 1, contentType: 'image/jpeg' }, ctx).id).toBe('file--75cb38d5-2055-5354-b75a-8299a2d670b5');
  });

  it('canonical JSON sorts keys and escapes as JCS, so hostile text gives the same id as stix2', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'] })).toBe('{"a":[true,null,"x"],"b":1}');
    expect(scoId('user-account', { account_type: 'telegram', user_id: '100', account_login: 'ali"\u00e9\u2028<script>\u{1F600}' })).toBe(
      'user-account--b0b7fd33-faf3-5526-99a0-2090420b3b75',
    );
  });

  it('gives the same ids on a re-export (SDOs from the natural key)', () => {
    const ev = event('tg:101', 'resurfaced', T, { predecessor: 'tg:100', score: 0.8 });
    expect(resurfacingToRelationship(ev, succ, pred, ctx)).toEqual(resurfacingToRelationship({ ...ev }, { ...succ }, { ...pred }, ctx));
    expect(producerIdentity(ctx).id).toBe(producerIdentity({ tlp: 'red' }).id);
  });
});

describe('STIX mapping', () => {
  it('a channel is a user-account: platform, platform id, handle, title; a removed one is disabled', () => {
    const u = channelToUserAccount(pred, ctx);
    expect(u).toMatchObject({
      type: 'user-account',
      account_type: 'telegram',
      user_id: '100',
      account_login: 'alpha_news',
      display_name: 'Alpha',
      is_disabled: true,
    });
    expect(channelToUserAccount(channel('tg:@x', 'x'), ctx).user_id).toBe('@x');
    expect(channelToUserAccount(succ, ctx)).not.toHaveProperty('is_disabled');
  });

  it('a post is a url; a web post without an address is left out', () => {
    expect(postToUrl({ platform: 'youtube', handle: 'c', postId: 'v1', url: 'https://www.youtube.com/watch?v=v1' }, ctx)?.value).toBe(
      'https://www.youtube.com/watch?v=v1',
    );
    expect(postToUrl({ platform: 'rss', handle: 'c', postId: 'p1' }, ctx)).toBeUndefined();
  });

  it('media is a file with SHA-256, MD5 and PDQ; a video frame bag is a property extension', () => {
    const pic = mediaToFile({ sha256: 'A'.repeat(64), md5: 'b'.repeat(32), pdq: 'f'.repeat(64), bytes: 10, contentType: 'image/jpeg' }, ctx);
    expect(pic.hashes).toEqual({ 'SHA-256': 'a'.repeat(64), MD5: 'b'.repeat(32), [PDQ_HASH_KEY]: 'f'.repeat(64) });
    expect(pic).not.toHaveProperty('extensions');
    const frames = ['1'.repeat(64), '2'.repeat(64)];
    const vid = mediaToFile({ sha256: 'c'.repeat(64), md5: 'd'.repeat(32), bytes: 10, contentType: 'video/mp4', frames }, ctx);
    expect(vid.extensions).toEqual({ [EXTENSIONS.frameBag.id]: { extension_type: 'property-extension', frame_pdqs: frames, frame_count: 2 } });
    expect(JSON.stringify(vid)).not.toMatch(/bytes|filePath|data:/);
  });

  it('a resurfacing is a derived-from relationship with confidence, score and signals', () => {
    const ev = event('tg:101', 'resurfaced', T, {
      predecessor: 'tg:100',
      score: 0.81,
      signals: { handle: 0.9, bad: 'x' },
      foundVia: ['variant'],
      delayMs: 3 * H,
    });
    const r = resurfacingToRelationship(ev, succ, pred, ctx);
    expect(r).toMatchObject({ relationship_type: 'derived-from', source_ref: channelAccountId(succ), target_ref: channelAccountId(pred), confidence: 81 });
    expect(r.extensions).toEqual({
      [EXTENSIONS.resurfacing.id]: {
        extension_type: 'property-extension',
        score: 0.81,
        signals: { handle: 0.9 },
        found_via: ['variant'],
        delay_ms: 3 * H,
        lineage: [],
      },
    });
  });

  it('a takedown is observed-data (first seen → found gone) with its state and reason in an extension', () => {
    const ev = event('tg:100', 'removed', new Date(T.getTime() + 48 * H), {
      from: 'active',
      timeToTakedownMs: 48 * H,
      reason: 'tos_violation',
      detail: 'banned',
    });
    const o = channelTakedownToObservedData(ev, pred, ctx);
    expect(o).toMatchObject({
      type: 'observed-data',
      first_observed: T.toISOString(),
      last_observed: ev.at.toISOString(),
      object_refs: [channelAccountId(pred)],
    });
    expect(o.extensions).toEqual({
      [EXTENSIONS.takedown.id]: {
        extension_type: 'property-extension',
        state: 'removed',
        reason: 'tos_violation',
        reason_text: 'banned',
        time_to_takedown_ms: 48 * H,
      },
    });
    const t: PostTakedownDoc = {
      _id: 'yt:c:v1',
      postKey: 'yt:c:v1',
      postId: 'v1',
      channelKey: 'yt:c',
      sourceId: 's',
      platform: 'youtube',
      reason: 'tos_violation',
      reasonText: 'This video has been removed.',
      firstSeenAt: T,
      removedAt: new Date(T.getTime() + H),
      timeToTakedownMs: H,
      buckets: timeBuckets(T),
    };
    const url = postToUrl({ platform: 'youtube', handle: 'c', postId: 'v1', url: 'https://www.youtube.com/watch?v=v1' }, ctx) as StixObject;
    expect(postTakedownToObservedData(t, url, ctx)).toMatchObject({ object_refs: [url.id], last_observed: t.removedAt.toISOString() });
  });
});

describe('STIX bundle', () => {
  function bundleOf(objects: StixObject[], tlp: (typeof TLP_LEVELS)[number] = 'amber'): { objects: StixObject[] } {
    const w = new BundleWriter({ tlp });
    const statics = staticRecords({ tlp })
      .flatMap((r) => r.objects)
      .filter((o) => o.type !== 'extension-definition');
    return JSON.parse(w.open() + w.add(statics) + w.add(objects) + w.close()) as { objects: StixObject[] };
  }

  it('marks every object but the published TLP marking with the configured TLP 2.0 marking', () => {
    for (const tlp of TLP_LEVELS) {
      const c = { tlp };
      const b = bundleOf(
        [channelToUserAccount(pred, c), resurfacingToRelationship(event('tg:101', 'resurfaced', T, { predecessor: 'tg:100', score: 1 }), succ, pred, c)],
        tlp,
      );
      expect(b.objects.find((o) => o.type === 'marking-definition')).toEqual(tlpMarking(tlp));
      for (const o of b.objects.filter((x) => x.type !== 'marking-definition')) expect(o.object_marking_refs).toEqual([tlpMarkingId(tlp)]);
    }
    expect(tlpMarkingId('clear')).toBe('marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487');
    expect(settingsSchema.shape.share.unwrap().shape.tlp.unwrap().options).toEqual([...TLP_LEVELS]);
  });

  it('declares the frame-bag extension-definition once, before the first file using it, and only then', () => {
    const still = bundleOf([mediaToFile({ sha256: 'a'.repeat(64), md5: '', bytes: 1, contentType: 'image/png' }, ctx)]);
    expect(still.objects.some((o) => o.type === 'extension-definition')).toBe(false);
    const video = (n: string): StixObject => mediaToFile({ sha256: n.repeat(64), md5: '', bytes: 1, contentType: 'video/mp4', frames: ['0'.repeat(64)] }, ctx);
    const b = bundleOf([video('a'), video('b'), video('a')]);
    const defs = b.objects.filter((o) => o.type === 'extension-definition');
    expect(defs.map((d) => d.id)).toEqual([EXTENSIONS.frameBag.id]);
    expect(defs[0]).toMatchObject({ created_by_ref: producerIdentity(ctx).id, extension_types: ['property-extension'] });
    expect(b.objects.findIndex((o) => o.type === 'extension-definition')).toBeLessThan(b.objects.findIndex((o) => o.type === 'file'));
    expect(b.objects.filter((o) => o.type === 'file')).toHaveLength(2);
  });

  it('keeps hostile text as data: JSON-escaped, parsed back unchanged', () => {
    const title = '"},{"type":"malware","id":"x"}\u2028</script><img src=x onerror=alert(1)>\u0000';
    const b = bundleOf([channelToUserAccount({ ...pred, title }, ctx)]);
    expect(b.objects.filter((o) => o.type === 'malware')).toHaveLength(0);
    expect(b.objects.find((o) => o.type === 'user-account')?.display_name).toBe(title);
  });
});
