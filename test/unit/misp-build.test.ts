import { buildMispEvent, channelObject, mediaObject, uuidV5, type MispExportInput } from '../../src/share/misp/build';
import { TEMPLATES } from '../../src/share/misp/templates';

const PDQ_A = 'f'.repeat(32) + '0'.repeat(32);
const PDQ_B = 'f'.repeat(31) + 'e' + '0'.repeat(32);
const t0 = new Date('2026-11-01T10:00:00Z');

const input: MispExportInput = {
  generatedAt: new Date('2026-12-01T12:00:00Z'),
  description: 'tag far-right',
  tags: ['far-right'],
  channels: [
    {
      key: 'tg:100',
      platform: 'telegram',
      handle: 'alpha_news',
      platformId: '100',
      title: 'Alpha News',
      status: 'removed',
      firstSeenAt: t0,
      removedAt: new Date('2026-11-10T00:00:00Z'),
    },
    { key: 'tg:200', platform: 'telegram', handle: 'alpha_news2', status: 'active', firstSeenAt: new Date('2026-11-11T00:00:00Z') },
    { key: 'yt:s-yt', platform: 'youtube', handle: 'UCabcdefghijklmnopqrstuv', title: 'Some channel', status: 'active', firstSeenAt: t0 },
    { key: 'rss:s-rss', platform: 'rss', handle: 'feed.example.org', title: 'A feed', status: 'active', firstSeenAt: t0 },
  ],
  media: [
    {
      id: 'sha256:aa',
      sha256: 'a'.repeat(64),
      md5: 'b'.repeat(32),
      bytes: 1234,
      contentType: 'image/jpeg',
      kind: 'image',
      pdq: PDQ_A,
      quality: 100,
      clusterId: 'mc:aa',
      firstSeenAt: t0,
      originalId: 'sha256:aa',
      sightings: [{ channelKey: 'tg:100', postKey: 'tg:100:5', at: t0, matchedVia: 'new', distance: 0 }],
    },
    {
      id: 'sha256:cc',
      sha256: 'c'.repeat(64),
      md5: 'd'.repeat(32),
      bytes: 999,
      contentType: 'image/jpeg',
      kind: 'image',
      pdq: PDQ_B,
      quality: 90,
      clusterId: 'mc:aa',
      firstSeenAt: new Date('2026-11-12T00:00:00Z'),
      originalId: 'sha256:aa',
      sightings: [{ channelKey: 'tg:200', postKey: 'tg:200:1', at: new Date('2026-11-12T00:00:00Z'), matchedVia: 'pdq', distance: 1 }],
    },
  ],
  successions: [{ predecessor: 'tg:100', successor: 'tg:200' }],
};

describe('MISP export builders', () => {
  it('UUIDv5 follows RFC 4122 (the DNS-namespace example "www.example.com")', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('maps a Telegram channel to telegram-account (v2) with username, id, title, first/last seen', () => {
    const o = channelObject(input.channels[0] as MispExportInput['channels'][number]);
    expect(o).toMatchObject({ name: 'telegram-account', template_uuid: TEMPLATES['telegram-account'].uuid, template_version: '2' });
    expect(o.Attribute.map((a) => [a.object_relation, a.type, a.value])).toEqual([
      ['username', 'text', 'alpha_news'],
      ['id', 'text', '100'],
      ['first_name', 'text', 'Alpha News'],
    ]);
    expect(o.first_seen).toBe('2026-11-01T10:00:00.000Z');
    expect(o.last_seen).toBe('2026-11-10T00:00:00.000Z');
    expect(o.comment).toContain('status removed');
  });

  it('maps YouTube to youtube-channel (with its link) and other platforms to social-media-group', () => {
    const yt = channelObject(input.channels[2] as MispExportInput['channels'][number]);
    expect(yt.name).toBe('youtube-channel');
    expect(yt.Attribute.find((a) => a.object_relation === 'link')?.value).toBe('https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv');
    const rss = channelObject(input.channels[3] as MispExportInput['channels'][number]);
    expect(rss.name).toBe('social-media-group');
    expect(rss.Attribute.map((a) => [a.object_relation, a.value])).toEqual([
      ['group-name', 'A feed'],
      ['group-alias', 'feed.example.org'],
      ['platform', 'rss'],
    ]);
  });

  it('puts a media item in a file object (hashes, size, type) with the PDQ as a documented text attribute', () => {
    const o = mediaObject(input.media[0] as MispExportInput['media'][number]);
    expect(o).toMatchObject({ name: 'file', template_version: '25' });
    const byRel = Object.fromEntries(o.Attribute.map((a) => [a.object_relation, a]));
    expect(byRel.sha256).toMatchObject({ type: 'sha256', category: 'Payload delivery', value: 'a'.repeat(64), to_ids: false });
    expect(byRel['size-in-bytes']).toMatchObject({ type: 'size-in-bytes', value: '1234' });
    expect(byRel.text).toMatchObject({ type: 'text', value: `pdq:${PDQ_A}`, comment: 'PDQ perceptual hash (256 bits, hex), quality 100' });
  });

  it('links re-uploads (duplicate-of), sightings (shared-by) and successors (successor-of); the same input gives the same UUIDs', () => {
    const e = buildMispEvent(input).Event;
    expect(e.Object).toHaveLength(6);
    const byName = (n: string) => e.Object.filter((o) => o.name === n);
    const [orig, copy] = byName('file');
    const [pred, succ] = byName('telegram-account');
    expect(copy?.ObjectReference.find((r) => r.relationship_type === 'duplicate-of')).toMatchObject({
      referenced_uuid: orig?.uuid,
      comment: 're-upload: matched by pdq, distance 1',
    });
    expect(orig?.ObjectReference.some((r) => r.relationship_type === 'duplicate-of')).toBe(false);
    expect(copy?.ObjectReference.find((r) => r.relationship_type === 'shared-by')?.referenced_uuid).toBe(succ?.uuid);
    expect(succ?.ObjectReference).toEqual([expect.objectContaining({ relationship_type: 'successor-of', referenced_uuid: pred?.uuid })]);
    expect(e.Tag).toEqual([{ name: 'tlp:amber' }, { name: 'hydrawatch:tag="far-right"' }]);
    expect(e.distribution).toBe('0');
    expect(buildMispEvent(input)).toEqual(buildMispEvent(input));
    const uuids = [...e.Object.map((o) => o.uuid), ...e.Object.flatMap((o) => o.Attribute.map((a) => a.uuid))];
    expect(new Set(uuids).size).toBe(uuids.length);
  });
});
