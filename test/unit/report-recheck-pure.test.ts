import { plainTextOf } from '../../src/simulator/abuse-desk';
import { checkFromStatusPage } from '../../crawlers/telegram/recheck';
import { offlineHowFromReason } from '../../src/core/report-case';
import { withTargetUpdate } from '../../src/reports/offline';
import type { ReportCase } from '../../src/core/report-case';

describe('checkFromStatusPage', () => {
  it('maps what t.me/<handle> says to online or offline, keeping the banner words', () => {
    expect(checkFromStatusPage({ what: 'channel', status: 'active', subscribers: 12 })).toEqual({ state: 'online', views: 12 });
    expect(
      checkFromStatusPage({ what: 'removed', status: 'removed', detail: 'This channel can’t be displayed because it violated Telegram’s Terms of Service.' }),
    ).toEqual({
      state: 'offline',
      how: 'removed_banner',
      words: 'This channel can’t be displayed because it violated Telegram’s Terms of Service.',
    });
    expect(checkFromStatusPage({ what: 'private', status: 'private' })).toEqual({ state: 'offline', how: 'private' });
    expect(checkFromStatusPage({ what: 'not_found', status: 'not_found' })).toEqual({ state: 'offline', how: 'not_found' });
    expect(checkFromStatusPage({ what: 'user', status: 'not_channel', kind: 'user' })).toEqual({
      state: 'offline',
      how: 'gone',
      words: 'the handle is now a user',
    });
  });

  it('maps a platform takedown reason to how the target went offline', () => {
    expect(offlineHowFromReason('tos_violation')).toBe('removed_banner');
    expect(offlineHowFromReason('account_terminated')).toBe('account_terminated');
    expect(offlineHowFromReason('deleted_by_uploader')).toBe('gone');
  });
});

describe('withTargetUpdate', () => {
  const at = new Date('2026-12-01T00:00:00Z');
  const base: ReportCase = {
    _id: 'c',
    platform: 'telegram',
    kind: 'channel',
    state: 'sent',
    openedBy: 'token:a',
    sourceIds: [],
    tags: [],
    targets: [
      { id: 'a', url: 'https://t.me/a', kind: 'channel', watched: false },
      { id: 'b', url: 'https://t.me/b', kind: 'channel', watched: false },
    ],
    evidence: {},
    history: [],
    createdAt: at,
    updatedAt: at,
    day: '2026-12-01',
    reportedAt: at,
  };
  it('closes a reported case only when its last target goes offline', () => {
    const one = withTargetUpdate(base, 'a', { offline: { at, how: 'not_found' } }, at);
    expect(one.state).toBe('sent');
    const both = withTargetUpdate(one, 'b', { offline: { at, how: 'removed_banner', words: 'banner' } }, at);
    expect(both.state).toBe('offline');
    expect(both.history.at(-1)).toMatchObject({ state: 'offline', by: 'system', note: 'removed_banner: banner' });
  });
  it('records a draft case target offline without moving the case (it was never reported)', () => {
    const d = withTargetUpdate(
      { ...base, state: 'draft', targets: [base.targets[0] as ReportCase['targets'][number]] },
      'a',
      { offline: { at, how: 'not_found' } },
      at,
    );
    expect(d.state).toBe('draft');
    expect(d.targets[0]?.offline?.how).toBe('not_found');
  });
});

describe('plainTextOf', () => {
  it('undoes quoted-printable soft breaks and escapes in the text part', () => {
    const raw = [
      'Subject: x',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'see http://127.0.0.1:8730/some_very_long_=',
      'handle and caf=C3=A9',
      '--b1',
      'Content-Type: text/html',
      '',
      '<p>ignored</p>',
      '--b1--',
    ].join('\r\n');
    expect(plainTextOf(raw)).toContain('http://127.0.0.1:8730/some_very_long_handle and café');
  });
  it('decodes a base64 text part', () => {
    const raw = `Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from('hello https://t.me/x').toString('base64')}`;
    expect(plainTextOf(raw)).toBe('hello https://t.me/x');
  });
});
