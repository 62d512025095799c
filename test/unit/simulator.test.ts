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
    expect(() => parseScenario({ name: 'x', channels: [{ handle: 'ok_handle', channelId: 'abc', title: 't' }] }, 'x.yaml')).toThrow(/x\.yaml: channels\[0\]\.channelId/);
  });
});
