import { inflateSync } from 'node:zlib';
import { crc32, generateImage } from '../../src/simulator/png';
import { parseScenario } from '../../src/simulator/scenario';
import { startSimulator } from '../../src/simulator/server';
import { parseChannelPage } from '../../crawlers/telegram/parse-channel-page';
import { classifyStatusPage } from '../../crawlers/telegram/parse-status-page';

const scenario = parseScenario(
  {
    name: 't',
    channels: [
      { handle: 'sim_one', channelId: '1234567', title: 'One', generate: { count: 25, seed: 1 }, posts: [{ text: 'evil <script>alert(1)</script> & co' }] },
      { handle: 'sim_two', channelId: '7654321', title: 'Two', state: 'private' },
    ],
    timeline: [
      { step: 1, action: 'rename', channel: 'sim_one', to: 'sim_uno' },
      { step: 2, action: 'remove', channel: 'sim_uno' },
    ],
  },
  't',
);

describe('simulator', () => {
  it('pages like t.me/s, escapes text, keeps the channel id across a rename, serves status pages', async () => {
    const sim = await startSimulator({ scenario });
    try {
      const page = await (await fetch(`${sim.url}/s/SIM_ONE`)).text();
      expect(page).not.toContain('<script>alert');
      const p1 = parseChannelPage(page, { baseUrl: sim.url, handle: 'sim_one' });
      expect(p1.posts.map((p) => p.postId)).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 7)));
      expect(p1.posts.at(-1)?.text).toBe('evil <script>alert(1)</script> & co');
      expect(p1.olderBefore).toBe('7');
      const p2 = parseChannelPage(await (await fetch(`${sim.url}/s/sim_one?before=7`)).text(), { baseUrl: sim.url, handle: 'sim_one' });
      expect(p2.posts.map((p) => p.postId)).toEqual(['1', '2', '3', '4', '5', '6']);
      expect(p2.olderBefore).toBeUndefined();

      const priv = await fetch(`${sim.url}/s/sim_two`, { redirect: 'manual' });
      expect(priv.status).toBe(302);
      expect(classifyStatusPage(await (await fetch(`${sim.url}/sim_two`)).text()).status).toBe('private');

      sim.advance(); // rename
      expect((await fetch(`${sim.url}/s/sim_one`, { redirect: 'manual' })).status).toBe(302);
      expect(classifyStatusPage(await (await fetch(`${sim.url}/sim_one`)).text()).status).toBe('not_found');
      const renamed = parseChannelPage(await (await fetch(`${sim.url}/s/sim_uno`)).text(), { baseUrl: sim.url, handle: 'sim_uno' });
      expect(renamed.channel).toMatchObject({ handle: 'sim_uno', platformId: '1234567' });

      sim.advance(); // removal
      expect(classifyStatusPage(await (await fetch(`${sim.url}/sim_uno`)).text())).toMatchObject({ status: 'removed' });

      sim.setFault('/s/', { kind: 'status', status: 429, retryAfterSeconds: 3, times: 1 });
      const limited = await fetch(`${sim.url}/s/sim_uno`, { redirect: 'manual' });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('3');
      expect(sim.requests.filter((r) => r.status === 429)).toHaveLength(1);
      const state = (await (await fetch(`${sim.url}/_sim/state`)).json()) as { step: number };
      expect(state.step).toBe(2);
    } finally {
      await sim.close();
    }
  });

  it('renders every post kind and the status pages in real t.me markup, read back by the production parser', async () => {
    const kinds = parseScenario(
      {
        name: 'kinds',
        channels: [
          {
            handle: 'sim_kinds',
            channelId: '1006500001',
            title: 'Sim Kinds',
            subscribers: 97957,
            posts: [
              { text: '', service: 'channel_created', date: '2026-11-01T00:00:00Z' },
              { text: 'plain weather #rain', date: '2026-11-01T01:00:00Z' },
              { text: 'photo', photos: [3], date: '2026-11-01T02:00:00Z' },
              { text: 'video', video: '4,5', date: '2026-11-01T03:00:00Z' },
              { text: '', roundVideo: '6', date: '2026-11-01T04:00:00Z' },
              { text: '', voiceSeconds: 42, date: '2026-11-01T05:00:00Z' },
              { text: '', audio: { title: 'Rain Song', performer: 'Sim Band' }, date: '2026-11-01T06:00:00Z' },
              { text: 'recipe', document: { fileName: 'soup.pdf', size: '12 KB' }, date: '2026-11-01T07:00:00Z' },
              { text: '', sticker: 8, date: '2026-11-01T08:00:00Z' },
              { text: '', gif: '9', date: '2026-11-01T09:00:00Z' },
              { text: '', poll: { question: 'Best soup?', options: ['Tomato', 'Onion'] }, date: '2026-11-01T10:00:00Z' },
              { text: '', location: { latitude: 48.85, longitude: 2.35, title: 'Sim Stadium' }, date: '2026-11-01T11:00:00Z' },
              { text: '', service: 'pinned', date: '2026-11-01T12:00:00Z' },
              { text: '', service: 'photo_changed', date: '2026-11-01T13:00:00Z' },
            ],
          },
          { handle: 'sim_group', channelId: '1006500002', title: 'Sim Group', kind: 'group', subscribers: 97957 },
          { handle: 'sim_user', channelId: '1006500003', title: 'Sim User', kind: 'user' },
          { handle: 'sim_bot', channelId: '1006500004', title: 'Sim Bot', kind: 'bot' },
        ],
        timeline: [
          { step: 1, action: 'retitle', channel: 'sim_kinds', to: 'Sim Kinds Weather' },
          { step: 2, action: 'remove', channel: 'sim_kinds' },
        ],
      },
      'kinds',
    );
    const sim = await startSimulator({ scenario: kinds });
    try {
      const html = await (await fetch(`${sim.url}/s/sim_kinds`)).text();
      // the real message frame: the same wrappers as t.me's own pages
      expect(html).toContain('<div class="tgme_widget_message text_not_supported_wrap user-color-12 js-widget_message" data-post="sim_kinds/2" data-view="');
      expect(html).toContain('<section class="tgme_channel_history js-message_history">');
      const page = parseChannelPage(html, { baseUrl: sim.url, handle: 'sim_kinds' });
      expect(page.channel).toMatchObject({ handle: 'sim_kinds', platformId: '1006500001', title: 'Sim Kinds', subscribers: 97900 });
      const byId = new Map(page.posts.map((p) => [p.postId, p]));
      expect(byId.get('1')?.service).toEqual({ type: 'channel_created' });
      expect(byId.get('2')?.hashtags).toEqual(['rain']);
      expect(page.posts.map((p) => p.media.map((m) => m.kind).join('+'))).toEqual([
        '',
        '',
        'photo',
        'video',
        'round_video',
        'voice',
        'audio',
        'document',
        'sticker',
        'gif',
        '',
        '',
        '',
        '',
      ]);
      expect(byId.get('7')?.media[0]).toEqual({ kind: 'audio', fileName: 'Rain Song', performer: 'Sim Band' });
      expect(byId.get('11')?.poll).toEqual({ question: 'Best soup?', options: ['Tomato', 'Onion'], type: 'Anonymous Poll' });
      expect(byId.get('12')?.location).toMatchObject({ latitude: 48.85, longitude: 2.35, title: 'Sim Stadium' });
      expect(byId.get('13')?.service).toEqual({ type: 'pinned', pinnedText: 'recipe' });
      expect(byId.get('14')?.service).toEqual({ type: 'photo_changed' });
      expect(byId.get('2')?.publishedAt?.toISOString()).toBe('2026-11-01T01:00:00.000Z');

      sim.advance(); // retitle
      const after = parseChannelPage(await (await fetch(`${sim.url}/s/sim_kinds`)).text(), { baseUrl: sim.url, handle: 'sim_kinds' });
      expect(after.channel.title).toBe('Sim Kinds Weather');
      expect(after.posts.at(-1)?.service).toEqual({ type: 'title_changed', title: 'Sim Kinds Weather' });

      for (const [h, kind] of [
        ['sim_group', 'group'],
        ['sim_user', 'user'],
        ['sim_bot', 'bot'],
      ] as const) {
        expect((await fetch(`${sim.url}/s/${h}`, { redirect: 'manual' })).status).toBe(302);
        expect(classifyStatusPage(await (await fetch(`${sim.url}/${h}`)).text())).toMatchObject({ status: 'not_channel', kind });
      }
      expect(classifyStatusPage(await (await fetch(`${sim.url}/sim_group`)).text()).subscribers).toBe(97957);
      expect(classifyStatusPage(await (await fetch(`${sim.url}/sim_nobody`)).text())).toMatchObject({ what: 'not_found' });

      sim.advance(); // removal: the banner page
      expect(classifyStatusPage(await (await fetch(`${sim.url}/sim_kinds`)).text())).toMatchObject({
        what: 'removed',
        status: 'removed',
        title: 'Sim Kinds Weather',
        subscribers: 97957,
      });
    } finally {
      await sim.close();
    }
  });

  it('generates valid, deterministic PNGs that differ by seed', () => {
    const a = generateImage(3, { width: 64, height: 48 });
    expect(a.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(a.readUInt32BE(16)).toBe(64);
    expect(a.readUInt32BE(20)).toBe(48);
    // every chunk's CRC is right, and IDAT inflates to (1 + 64*3) * 48 bytes
    let off = 8;
    let idat = Buffer.alloc(0);
    while (off < a.length) {
      const len = a.readUInt32BE(off);
      const type = a.subarray(off + 4, off + 8).toString('ascii');
      expect(a.readUInt32BE(off + 8 + len)).toBe(crc32(a.subarray(off + 4, off + 8 + len)));
      if (type === 'IDAT') idat = Buffer.concat([idat, a.subarray(off + 8, off + 8 + len)]);
      off += 12 + len;
    }
    expect(inflateSync(idat).length).toBe((1 + 64 * 3) * 48);
    expect(generateImage(3, { width: 64, height: 48 }).equals(a)).toBe(true);
    expect(generateImage(4, { width: 64, height: 48 }).equals(a)).toBe(false);
  });

  it('scenario errors name the path', () => {
    expect(() => parseScenario({ name: 'x', channels: [{ handle: 'ok_handle', channelId: 'abc', title: 't' }] }, 'x.yaml')).toThrow(
      /x\.yaml: channels\[0\]\.channelId/,
    );
  });
});
