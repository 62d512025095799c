import type { ParsedPost } from '../../crawlers/types';
import { CHANNEL_EVENT_TYPES } from '../../src/core/channel-transitions';
import { contentPosts, serviceEventDrafts } from '../../src/core/service-events';

const at = new Date('2026-11-25T00:00:00Z');

function post(id: string, extra: Partial<ParsedPost> = {}): ParsedPost {
  return {
    postId: id,
    text: '',
    links: [],
    hashtags: [],
    mentions: [],
    media: [],
    publishedAt: new Date(`2026-11-2${id}T10:00:00Z`),
    url: `https://t.me/sim_alpha/${id}`,
    ...extra,
  };
}

describe('serviceEventDrafts', () => {
  const posts = [
    post('1', { text: 'Channel created', service: { type: 'channel_created' } }),
    post('2', { text: 'Weather today' }),
    post('3', { text: 'Channel name was changed to «Sim Alpha Weather»', service: { type: 'title_changed', title: 'Sim Alpha Weather' } }),
    post('4', { text: 'Channel photo updated', service: { type: 'photo_changed' } }),
    post('5', { text: 'Sim Alpha pinned «Weather today»', service: { type: 'pinned', pinnedPostId: '2' } }),
    post('6', { text: 'Channel photo removed', service: { type: 'photo_removed' } }),
    post('7', { text: 'Video chat started', service: { type: 'other' } }),
  ];

  it('one event per service message, dated by the message, with its data', () => {
    expect(serviceEventDrafts(posts, at)).toEqual([
      { type: 'channel_created', at: new Date('2026-11-21T10:00:00Z'), data: { postId: '1', source: 'service_message', url: 'https://t.me/sim_alpha/1' } },
      {
        type: 'renamed_title',
        at: new Date('2026-11-23T10:00:00Z'),
        data: { postId: '3', source: 'service_message', title: 'Sim Alpha Weather', url: 'https://t.me/sim_alpha/3' },
      },
      { type: 'photo_changed', at: new Date('2026-11-24T10:00:00Z'), data: { postId: '4', source: 'service_message', url: 'https://t.me/sim_alpha/4' } },
      {
        type: 'pinned',
        at: new Date('2026-11-25T10:00:00Z'),
        data: { postId: '5', source: 'service_message', pinnedPostId: '2', url: 'https://t.me/sim_alpha/5' },
      },
      { type: 'photo_removed', at: new Date('2026-11-26T10:00:00Z'), data: { postId: '6', source: 'service_message', url: 'https://t.me/sim_alpha/6' } },
    ]);
  });

  it('every event type it makes is a known channel event type', () => {
    for (const d of serviceEventDrafts(posts, at)) expect(CHANNEL_EVENT_TYPES).toContain(d.type);
  });

  it('a service message with no date is dated by the crawl', () => {
    expect(serviceEventDrafts([{ ...post('1', { service: { type: 'channel_created' } }), publishedAt: undefined }], at)[0]?.at).toEqual(at);
  });

  it('service messages are never posts', () => {
    expect(contentPosts(posts).map((p) => p.postId)).toEqual(['2']);
  });
});
