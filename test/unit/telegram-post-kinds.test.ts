import { parseChannelPage } from '../../crawlers/telegram';
import { classifyServiceText } from '../../crawlers/telegram/service-message';
import { buildChannelPage, buildMessage } from '../fixtures/telegram/build-page';

const opts = { baseUrl: 'https://t.me', handle: 'sim_alpha_news' };
const cdn = 'https://cdn.example/file';

function only(spec: Parameters<typeof buildMessage>[0]) {
  const page = parseChannelPage(buildChannelPage({ messages: [buildMessage(spec)] }), opts);
  expect(page.posts).toHaveLength(1);
  return page.posts[0] as NonNullable<(typeof page.posts)[number]>;
}

describe('every post kind, in the markup the simulator and the fixtures render', () => {
  it('text only', () => {
    const p = only({ id: 1, textHtml: 'Sunny with light wind' });
    expect([p.text, p.media, p.poll, p.location, p.service]).toEqual(['Sunny with light wind', [], undefined, undefined, undefined]);
  });

  it('photo (with and without caption)', () => {
    expect(only({ id: 2, media: [{ kind: 'photo', url: `${cdn}/p.jpg` }] }).media).toEqual([{ kind: 'photo', url: `${cdn}/p.jpg` }]);
    const withText = only({
      id: 3,
      textHtml: 'match day',
      media: [
        { kind: 'photo', url: `${cdn}/p.jpg` },
        { kind: 'photo', url: `${cdn}/q.jpg` },
      ],
    });
    expect(withText.media.map((m) => m.url)).toEqual([`${cdn}/p.jpg`, `${cdn}/q.jpg`]);
    expect(withText.text).toBe('match day');
  });

  it('video, with its thumbnail and duration', () => {
    expect(only({ id: 4, textHtml: 'goal', media: [{ kind: 'video', url: `${cdn}/v.mp4`, thumbUrl: `${cdn}/t.jpg`, duration: '1:05' }] }).media).toEqual([
      { kind: 'video', url: `${cdn}/v.mp4`, thumbUrl: `${cdn}/t.jpg`, durationSec: 65 },
    ]);
  });

  it('round video with no caption is a round video, not an empty post', () => {
    const p = only({ id: 5, media: [{ kind: 'round_video', url: `${cdn}/r.mp4`, thumbUrl: `${cdn}/rt.jpg`, duration: '0:07' }] });
    expect(p.media).toEqual([{ kind: 'round_video', url: `${cdn}/r.mp4`, thumbUrl: `${cdn}/rt.jpg`, durationSec: 7 }]);
  });

  it('voice message', () => {
    expect(only({ id: 6, media: [{ kind: 'voice', url: `${cdn}/v.ogg`, duration: '0:42' }] }).media).toEqual([
      { kind: 'voice', url: `${cdn}/v.ogg`, durationSec: 42 },
    ]);
  });

  it('audio file is audio (title and performer), a document is a document', () => {
    expect(only({ id: 7, media: [{ kind: 'audio', title: 'Rain Song', performer: 'Sim Band' }] }).media).toEqual([
      { kind: 'audio', fileName: 'Rain Song', performer: 'Sim Band' },
    ]);
    expect(only({ id: 8, media: [{ kind: 'document', fileName: 'soup.pdf', size: '1.2 MB' }] }).media).toEqual([
      { kind: 'document', fileName: 'soup.pdf', sizeText: '1.2 MB' },
    ]);
  });

  it('sticker and GIF', () => {
    expect(only({ id: 9, media: [{ kind: 'sticker', url: `${cdn}/s.webp` }] }).media).toEqual([{ kind: 'sticker', url: `${cdn}/s.webp` }]);
    expect(only({ id: 10, media: [{ kind: 'gif', url: `${cdn}/g.mp4`, thumbUrl: `${cdn}/gt.jpg` }] }).media).toEqual([
      { kind: 'gif', url: `${cdn}/g.mp4`, thumbUrl: `${cdn}/gt.jpg` },
    ]);
  });

  it('poll: question and options, and they are the text when there is no caption', () => {
    const p = only({
      id: 11,
      poll: {
        question: 'Best soup?',
        type: 'Anonymous Poll',
        options: [
          { text: 'Tomato', percent: 60 },
          { text: 'Onion', percent: 40 },
        ],
        voters: '120',
      },
    });
    expect(p.poll).toEqual({ question: 'Best soup?', options: ['Tomato', 'Onion'], type: 'Anonymous Poll' });
    expect(p.text).toBe('Best soup?\nTomato\nOnion');
  });

  it('location: coordinates, venue and map link', () => {
    const p = only({ id: 12, location: { latitude: 48.8584, longitude: 2.2945, title: 'Sim Stadium', address: '1 Football Road' } });
    expect(p.location).toEqual({
      latitude: 48.8584,
      longitude: 2.2945,
      title: 'Sim Stadium',
      address: '1 Football Road',
      url: 'https://maps.google.com/maps?q=48.8584,2.2945&ll=48.8584,2.2945&z=16',
    });
    expect(p.media).toEqual([]);
  });

  it('service messages are flagged, with their data', () => {
    const page = parseChannelPage(
      buildChannelPage({
        messages: [
          buildMessage({ id: 1, serviceHtml: 'Channel created' }),
          buildMessage({ id: 2, serviceHtml: 'Channel photo updated' }),
          buildMessage({ id: 3, serviceHtml: 'Channel name was changed to «Sim Alpha Weather»' }),
          buildMessage({ id: 4, serviceHtml: 'Sim Alpha News pinned «<a href="https://t.me/sim_alpha_news/2">Match day…</a>»' }),
          buildMessage({ id: 5, textHtml: 'an ordinary post about pinned notes' }),
          buildMessage({
            id: 6,
            serviceHtml:
              '<a class="tgme_widget_message_author_name" href="https://t.me/sim_alpha_news">Sim Alpha News</a> pinned «<span class="tgme_widget_service_strong_text">Soup of the day</span>»',
          }),
        ],
      }),
      opts,
    );
    expect(page.posts.map((p) => p.service)).toEqual([
      { type: 'channel_created' },
      { type: 'photo_changed' },
      { type: 'title_changed', title: 'Sim Alpha Weather' },
      { type: 'pinned', pinnedPostId: '2', pinnedText: 'Match day…' },
      undefined,
      { type: 'pinned', pinnedText: 'Soup of the day' },
    ]);
    expect(page.posts[0]?.publishedAt?.toISOString()).toBe('2026-11-20T10:15:00.000Z');
  });

  it('forward and reply', () => {
    const p = only({
      id: 13,
      textHtml: 'see this',
      forward: { name: 'Sim Beta', href: 'https://t.me/sim_beta/55' },
      reply: { href: 'https://t.me/sim_alpha_news/12', author: 'Sim Alpha News', text: 'earlier' },
    });
    expect(p.forwardedFrom).toEqual({ name: 'Sim Beta', handle: 'sim_beta', url: 'https://t.me/sim_beta/55', postId: '55' });
    expect(p.replyTo).toEqual({ postId: '12', url: 'https://t.me/sim_alpha_news/12' });
    expect(p.text).toBe('see this');
  });
});

describe('classifyServiceText', () => {
  it.each([
    ['Channel created', { type: 'channel_created' }],
    ['Channel photo updated', { type: 'photo_changed' }],
    ['Channel photo removed', { type: 'photo_removed' }],
    ['Channel name was changed to «Sim Gamma»', { type: 'title_changed', title: 'Sim Gamma' }],
    ['Channel name was changed to "Sim Gamma"', { type: 'title_changed', title: 'Sim Gamma' }],
    ['Sim Gamma pinned a photo', { type: 'pinned' }],
    ['Channel name was changed to Sim Gamma', { type: 'title_changed', title: 'Sim Gamma' }],
    ['Video chat started', { type: 'other' }],
  ])('%s', (text, expected) => {
    expect(classifyServiceText(text)).toEqual(expected);
  });
});
