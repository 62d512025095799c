import { authenticate, allows, hashToken, parseEnvTokens } from '../../src/api/auth';
import { alertChannels } from '../../src/alerts/outbox';
import { csvField, toGexf } from '../../src/research/export-formats';
import { buildChannelNetwork, buildLineageGraph } from '../../src/research/graphs';
import { CURSOR_PATTERN, decodeCursor, encodeCursor, parseBound, QueryInputError, toTimelineFilter } from '../../src/research/query-filter';
import { spreadSeries } from '../../src/research/trends';

describe('query filters', () => {
  it('a bare date "to" covers the whole UTC day; an ISO time is exclusive', () => {
    expect(parseBound('2026-11-03', 'from').toISOString()).toBe('2026-11-03T00:00:00.000Z');
    expect(parseBound('2026-11-03', 'to').toISOString()).toBe('2026-11-04T00:00:00.000Z');
    expect(parseBound('2026-11-03T10:00:00+02:00', 'to').toISOString()).toBe('2026-11-03T08:00:00.000Z');
    // equal or reversed bounds are an empty range, not an error (any two valid times are a valid query)
    const same = toTimelineFilter({ from: '2026-11-05T10:00:00Z', to: '2026-11-05T10:00:00Z' });
    expect(same.from?.getTime()).toBe(same.to?.getTime());
    expect(toTimelineFilter({ from: '2026-11-05', to: '2026-11-03' }).from?.toISOString()).toBe('2026-11-05T00:00:00.000Z');
    expect(toTimelineFilter({ tag: ['a', 'b'], lang: [] })).toEqual({ tags: ['a', 'b'] });
  });

  it('cursors round-trip and garbage is refused', () => {
    const at = new Date('2026-11-02T10:00:00Z');
    expect(decodeCursor(encodeCursor(at, 'tg:1:2'))).toEqual({ at, id: 'tg:1:2' });
    expect(() => decodeCursor('garbage')).toThrow(QueryInputError);
    expect(() => decodeCursor(Buffer.from('["not a time?", 3]').toString('base64url'))).toThrow(/cursor/);
    expect(() => decodeCursor('12.a\u0000b')).toThrow(/cursor/);
    // every text the documented pattern allows is a position (the OpenAPI document and the API agree)
    expect(decodeCursor('0.')).toEqual({ at: new Date(0), id: '' });
    expect(decodeCursor('.@x.y')).toEqual({ at: '', id: '@x.y' });
    expect(decodeCursor('-999999999999999.0')).toEqual({ at: new Date(-999999999999999), id: '0' });
    expect(CURSOR_PATTERN.test('0000000000000000000000')).toBe(false);
  });
});

describe('export formats', () => {
  it('CSV fields: quoting, and formulas from hostile text defused', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
    expect(csvField('=cmd|calc')).toBe("'=cmd|calc");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-12.5')).toBe('-12.5'); // numbers stay numbers
    expect(csvField(new Date('2026-11-02T00:00:00Z'))).toBe('2026-11-02T00:00:00.000Z');
    expect(csvField(undefined)).toBe('');
  });

  it('GEXF escapes markup and drops characters XML forbids', () => {
    const x = toGexf(
      {
        nodes: [{ id: 'tg:1', label: '@a<b>&"c"\u0001', status: 'active', watched: true, tags: ['t'] }],
        edges: [{ id: 'e', source: 'tg:1', target: 'tg:1', kind: 'link', weight: 2 }],
      },
      { title: 't', generatedAt: new Date('2026-11-02T00:00:00Z') },
    );
    expect(x).toContain('label="@a&lt;b&gt;&amp;&quot;c&quot;"');
    expect(x).not.toContain('\u0001');
    expect(x).toContain('weight="2"');
    expect(x).toContain('lastmodifieddate="2026-11-02"');
  });
});

describe('graphs', () => {
  const channels = [
    { _id: 'tg:1', handle: 'new_name', handles: ['old_name', 'new_name'], status: 'active' as const, firstSeenAt: new Date(0) },
    { _id: 'tg:2', handle: 'other_chan', handles: ['other_chan'], status: 'removed' as const, firstSeenAt: new Date(0) },
  ];
  it('network: a renamed channel is one node; self-references and bad handles are dropped; weights count posts', () => {
    const at = new Date('2026-11-02T00:00:00Z');
    const g = buildChannelNetwork(
      [
        {
          channelKey: 'tg:2',
          handle: 'other_chan',
          tags: ['x'],
          links: ['https://t.me/old_name/5', 'https://t.me/s/new_name'],
          mentions: ['new_name'],
          forwardedFrom: { handle: 'OLD_NAME' },
          at,
        },
        { channelKey: 'tg:2', handle: 'other_chan', tags: ['x'], links: ['https://example.org/old_name'], mentions: ['other_chan', 'ab'], at },
        { channelKey: 'tg:1', handle: 'new_name', tags: [], links: [], mentions: ['fresh_handle'], at },
      ],
      channels,
      ['https://t.me'],
    );
    expect(g.edges.map((e) => `${e.source}>${e.target}:${e.kind}:${e.weight}`).sort()).toEqual([
      'tg:1>tg:@fresh_handle:mention:1',
      'tg:2>tg:1:forward:1',
      'tg:2>tg:1:link:1',
      'tg:2>tg:1:mention:1',
    ]);
    expect(g.nodes.map((n) => n.id)).toEqual(['tg:1', 'tg:2', 'tg:@fresh_handle']);
    expect(g.nodes.find((n) => n.id === 'tg:2')?.tags).toEqual(['x']);
  });

  it('lineage: keeps only maximal chains', () => {
    const g = buildLineageGraph(
      [
        { channelKey: 'tg:2', at: new Date(1), data: { predecessor: 'tg:1', score: 0.7, delayMs: 3600_000, lineage: ['tg:1', 'tg:2'] } },
        { channelKey: 'tg:3', at: new Date(2), data: { predecessor: 'tg:2', score: 0.9, lineage: ['tg:1', 'tg:2', 'tg:3'] } },
        { channelKey: 'tg:5', at: new Date(3), data: { predecessor: 'tg:4', score: 0.6, lineage: ['tg:4', 'tg:5'] } },
      ],
      channels,
    );
    expect(g.chains).toEqual([
      ['tg:1', 'tg:2', 'tg:3'],
      ['tg:4', 'tg:5'],
    ]);
    expect(g.edges[0]).toMatchObject({ source: 'tg:1', target: 'tg:2', weight: 0.7, attrs: { delayHours: 1 } });
  });

  it('media spread: new and cumulative channels per period', () => {
    const s = spreadSeries([
      { clusterId: 'c', period: 'd1', channelKey: 'a', afterTakedown: false, n: 2 },
      { clusterId: 'c', period: 'd2', channelKey: 'a', afterTakedown: false, n: 1 },
      { clusterId: 'c', period: 'd2', channelKey: 'b', afterTakedown: true, n: 3 },
    ]).get('c');
    expect(s).toEqual([
      { period: 'd1', sightings: 2, newChannels: 1, channels: 1, afterTakedown: 0 },
      { period: 'd2', sightings: 4, newChannels: 1, channels: 2, afterTakedown: 3 },
    ]);
  });
});

describe('API tokens', () => {
  const tokens = [{ name: 'ana', role: 'analyst' as const, sha256: hashToken('analyst-secret-123456') }];
  it('bearer tokens map to a role; anything else is nobody', () => {
    expect(authenticate('Bearer analyst-secret-123456', tokens)).toEqual({ name: 'ana', role: 'analyst' });
    expect(authenticate('bearer analyst-secret-123456', tokens)).toEqual({ name: 'ana', role: 'analyst' });
    expect(authenticate('Bearer analyst-secret-12345', tokens)).toBeUndefined();
    expect(authenticate('Basic YWJj', tokens)).toBeUndefined();
    expect(authenticate(undefined, tokens)).toBeUndefined();
    expect(allows({ name: 'r', role: 'researcher' }, 'analyst')).toBe(false);
    expect(allows({ name: 'a', role: 'analyst' }, 'researcher')).toBe(true);
  });

  it('HYDRAWATCH_API_TOKENS entries are checked', () => {
    expect(parseEnvTokens('researcher:rea:0123456789abcdef')).toEqual([{ name: 'rea', role: 'researcher', sha256: hashToken('0123456789abcdef') }]);
    expect(() => parseEnvTokens('admin:x:0123456789abcdef')).toThrow(/entry 1: role must be/);
    expect(() => parseEnvTokens('analyst:x:short')).toThrow(/at least 16/);
    expect(parseEnvTokens(undefined)).toEqual([]);
  });
});

describe('alert channels', () => {
  it('an alert is about the channels named in its facts', () => {
    const base = { key: 'k', sourceId: 's', tags: [], at: new Date(0) };
    expect(alertChannels({ ...base, kind: 'resurfaced', facts: { predecessor: 'tg:1', successor: 'tg:2' } })).toEqual(['tg:1', 'tg:2']);
    expect(alertChannels({ ...base, kind: 'reupload_after_takedown', facts: { channelKey: 'tg:3', originChannelKey: 'tg:1' } })).toEqual(['tg:3', 'tg:1']);
    expect(alertChannels({ ...base, kind: 'crawl_failing', facts: { consecutiveFailures: 3 } })).toEqual([]);
  });
});
