import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pageDigest, unchangedSince } from '../../crawlers/telegram/page-digest';
import { buildChannelPage, buildMessage, dataView } from '../fixtures/telegram/build-page';

const base = 'https://t.me';
function page(ids: number[], opts: { subscribers?: string; title?: string } = {}): string {
  return buildChannelPage({
    handle: 'sim_digest',
    base,
    ...(opts.subscribers ? { subscribers: opts.subscribers } : {}),
    ...(opts.title ? { title: opts.title } : {}),
    messages: ids.map((id) =>
      buildMessage({ id, handle: 'sim_digest', textHtml: `note ${id}`, views: `${id * 3}`, dataView: dataView('1700000099', id) }, base),
    ),
  });
}

describe('pageDigest (cheap "nothing new" before the full parse)', () => {
  it('reads the newest post id of a real t.me/s page', () => {
    const html = readFileSync(resolve(__dirname, '../../../shared/reference/telegram/durov.s.html'), 'utf8');
    const d = pageDigest(html);
    const truth = JSON.parse(readFileSync(resolve(__dirname, '../../../shared/reference/telegram/durov.s.truth.json'), 'utf8')) as {
      posts: Array<{ postId?: string; id?: string | number }>;
    };
    const ids = truth.posts.map((p) => Number(p.postId ?? p.id));
    expect(d.newestPostId).toBe(String(Math.max(...ids)));
    expect(d.header).toMatch(/^[0-9a-f]{40}$/);
  });

  it('same posts and header → same digest; views of old posts do not matter', () => {
    const a = pageDigest(page([1, 2, 3]));
    const b = pageDigest(page([1, 2, 3]).replace(/>3</g, '>4<'));
    expect(a).toEqual({ newestPostId: '3', header: expect.any(String) });
    expect(b).toEqual(a);
    expect(unchangedSince(b, { newestPostId: a.newestPostId, pageHeader: a.header })).toBe(true);
  });

  it('a new post, or a changed title or subscriber count, is a change', () => {
    const a = pageDigest(page([1, 2, 3]));
    const last = { newestPostId: a.newestPostId, pageHeader: a.header };
    expect(unchangedSince(pageDigest(page([1, 2, 3, 4])), last)).toBe(false);
    expect(unchangedSince(pageDigest(page([1, 2, 3], { subscribers: '12.4K' })), last)).toBe(false);
    expect(unchangedSince(pageDigest(page([1, 2, 3], { title: 'Another title' })), last)).toBe(false);
  });

  it('a page with no message list, or a header after it, never counts as unchanged', () => {
    expect(pageDigest('<html><body><div class="tgme_channel_info">x</div></body></html>')).toEqual({});
    const swapped =
      '<section class="tgme_channel_history js-message_history"><div data-post="sim_digest/5"></div></section><div class="tgme_channel_info">x</div>';
    const d = pageDigest(swapped);
    expect(d).toEqual({ newestPostId: '5' });
    expect(unchangedSince(d, { newestPostId: '5' })).toBe(false);
  });
});
