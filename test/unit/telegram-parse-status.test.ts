import { classifyStatusPage } from '../../crawlers/telegram';
import { buildStatusPage } from '../fixtures/telegram/build-page';

describe('classifyStatusPage', () => {
  it('removed: curly apostrophe banner, with title', () => {
    expect(classifyStatusPage(buildStatusPage('removed-curly'))).toEqual({
      status: 'removed',
      detail: 'This channel can’t be displayed because it violated Telegram\'s Terms of Service.',
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
      status: 'private',
      detail: 'channel exists but has no public preview',
      title: 'Sim Private Kitchen',
      subscribers: 1234,
    });
  });

  it('not found: no tgme_page_title', () => {
    expect(classifyStatusPage(buildStatusPage('not_found')).status).toBe('not_found');
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
