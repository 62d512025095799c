import { classifyStatusPage } from '../../crawlers/telegram';
import { buildStatusPage } from '../fixtures/telegram/build-page';

describe('classifyStatusPage', () => {
  it('removed: curly apostrophe banner, with title', () => {
    expect(classifyStatusPage(buildStatusPage('removed-curly'))).toEqual({
      what: 'removed',
      status: 'removed',
      kind: 'channel',
      detail: "This channel can’t be displayed because it violated Telegram's Terms of Service.",
      title: 'Sim Alpha News',
    });
  });

  it('removed: straight apostrophe banner', () => {
    const r = classifyStatusPage(buildStatusPage('removed-straight'));
    expect(r.status).toBe('removed');
    expect(r.detail).toBe("This channel can't be displayed because it violated Telegram's Terms of Service.");
  });

  it('removed: "cannot be displayed" + local laws', () => {
    const r = classifyStatusPage(buildStatusPage('removed-cannot-local'));
    expect(r.status).toBe('removed');
    expect(r.detail).toContain('violated local laws');
  });

  it('private: title and "1 234 subscribers"', () => {
    expect(classifyStatusPage(buildStatusPage('private'))).toEqual({
      what: 'private',
      status: 'private',
      kind: 'channel',
      detail: 'channel exists but has no public preview',
      title: 'Sim Private Kitchen',
      subscribers: 1234,
    });
  });

  it('not found: no tgme_page_title', () => {
    expect(classifyStatusPage(buildStatusPage('not_found')).status).toBe('not_found');
  });

  it('a channel page that links its preview is an active channel, verified mark dropped', () => {
    expect(classifyStatusPage(buildStatusPage('channel'))).toEqual({
      what: 'channel',
      status: 'active',
      kind: 'channel',
      title: 'Sim Alpha News',
      subscribers: 12345,
    });
  });

  it('a group: members counted as a number of people, not millions; recorded as a group', () => {
    expect(classifyStatusPage(buildStatusPage('group'))).toEqual({
      what: 'group',
      status: 'not_channel',
      kind: 'group',
      detail: 'public group: its messages cannot be read through t.me/s',
      title: 'Sim Football Chat',
      subscribers: 97957,
    });
  });

  it('a user page and a bot page are not private channels', () => {
    const user = classifyStatusPage(buildStatusPage('user'));
    expect([user.what, user.status, user.kind, user.title, user.subscribers]).toEqual(['user', 'not_channel', 'user', 'Sim Weather Fan', undefined]);
    const bot = classifyStatusPage(buildStatusPage('bot'));
    expect([bot.what, bot.status, bot.kind, bot.title, bot.subscribers]).toEqual(['bot', 'not_channel', 'bot', 'Sim Recipe Bot', undefined]);
  });

  it('empty or garbage page is not_found, never throws', () => {
    expect(classifyStatusPage('').status).toBe('not_found');
    expect(classifyStatusPage('<<<>>> \u0000 </div></div>').status).toBe('not_found');
  });

  it('a private page whose description merely talks about display is not removed', () => {
    const html = buildStatusPage('private').replace('Recipes for soup', 'Recipes displayed weekly');
    expect(classifyStatusPage(html).status).toBe('private');
  });
});
