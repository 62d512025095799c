import { diffChannel, nextChannelState, type StoredChannelState } from '../../src/core/channel-transitions';
import { detectLanguage } from '../../src/core/lang/detect-language';
import { normalizeArabic, normalizeText } from '../../src/core/lang/normalize';
import { isoWeek, timeBuckets } from '../../src/core/time-buckets';
import type { ChannelSnapshot } from '../../crawlers/types';

describe('time buckets', () => {
  it('writes hour, day, ISO week and month in UTC', () => {
    expect(timeBuckets(new Date('2026-11-24T21:05:00Z'))).toEqual({ hour: '2026-11-24T21', day: '2026-11-24', week: '2026-W48', month: '2026-11' });
  });
  it('uses ISO weeks across year ends', () => {
    expect(isoWeek(new Date('2027-01-01T00:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2026-01-01T00:00:00Z'))).toBe('2026-W01');
    expect(isoWeek(new Date('2024-12-30T12:00:00Z'))).toBe('2025-W01');
  });
});

describe('Arabic-aware normalisation and language detection', () => {
  it('removes diacritics and tatweel and unifies alef and yaa forms', () => {
    expect(normalizeArabic('يَنصَحُ الخَبّازونَ')).toBe('ينصح الخبازون');
    expect(normalizeArabic('الطـــقس')).toBe('الطقس');
    expect(normalizeArabic('أحمد إلى آخر ٱلقمر')).toBe('احمد الي اخر القمر');
    expect(normalizeArabic('مدرسة', { taaMarbuta: true })).toBe('مدرسه');
  });
  it('drops URLs, mentions and hashtag marks, lowercases and collapses whitespace', () => {
    expect(normalizeText('Hello   @someone see https://x.example/a #Weather\n\nToday')).toBe('hello see weather today');
  });
  it('detects English, French and Arabic; diacritics and tatweel do not change the result', () => {
    expect(detectLanguage('The weather in the valley stays mild this week with light rain expected', { minLength: 20 }).lang).toBe('eng');
    expect(detectLanguage('Le temps dans la vallée reste doux cette semaine avec une pluie légère attendue', { minLength: 20 }).lang).toBe('fra');
    const plain = detectLanguage('ينصح الخبازون بترك العجين يرتاح طوال الليل للحصول على خبز أخف', { minLength: 20 });
    const marked = detectLanguage('يَنصَحُ الخَبّازونَ بِتَركِ العَجينِ يَرتاحُ طـــوالَ اللَّيلِ للحُصولِ على خُبزٍ أَخَفّ', { minLength: 20 });
    expect(plain.lang).toBe('arb');
    expect(marked.lang).toBe('arb');
    expect(marked.normalized).toBe(plain.normalized);
  });
  it('short texts are "und"', () => {
    expect(detectLanguage('ok 👍 https://example.org/a-very-long-url-that-is-not-text', { minLength: 20 }).lang).toBe('und');
    expect(detectLanguage('', { minLength: 20 }).lang).toBe('und');
  });
});

describe('channel transitions', () => {
  const t0 = new Date('2026-11-01T00:00:00Z');
  const t1 = new Date('2026-11-03T12:00:00Z');
  const active = (handle: string, extra: Partial<ChannelSnapshot> = {}): ChannelSnapshot => ({
    platform: 'telegram',
    handle,
    status: 'active',
    platformId: '42',
    title: 'T',
    ...extra,
  });
  const state = (over: Partial<StoredChannelState> = {}): StoredChannelState => ({
    status: 'active',
    handle: 'alpha',
    handles: ['alpha'],
    platformId: '42',
    title: 'T',
    firstSeenAt: t0,
    consecutiveFailures: 0,
    ...over,
  });

  it('first sight of an active channel', () => {
    expect(diffChannel(undefined, active('alpha'), t0).map((e) => e.type)).toEqual(['first_seen']);
  });
  it('first sight of a removed channel also records the removal', () => {
    expect(diffChannel(undefined, { platform: 'telegram', handle: 'x', status: 'removed', statusDetail: 'banner' }, t0).map((e) => e.type)).toEqual([
      'first_seen',
      'removed',
    ]);
  });
  it('a takedown carries the banner and time-to-takedown', () => {
    const [ev] = diffChannel(state(), { platform: 'telegram', handle: 'alpha', status: 'removed', statusDetail: 'violated ToS' }, t1);
    expect(ev).toEqual({ type: 'removed', at: t1, data: { from: 'active', detail: 'violated ToS', timeToTakedownMs: t1.getTime() - t0.getTime() } });
  });
  it('a rename (same id, new handle) is a rename, not a takedown', () => {
    const evs = diffChannel(state(), active('alpha_2'), t1);
    expect(evs).toEqual([{ type: 'renamed', at: t1, data: { from: 'alpha', to: 'alpha_2' } }]);
    expect(nextChannelState(state(), active('alpha_2'), t1).handles).toEqual(['alpha', 'alpha_2']);
  });
  it('a handle change with a different channel id is not a rename', () => {
    expect(diffChannel(state(), active('alpha_2', { platformId: '43' }), t1).map((e) => e.type)).toEqual([]);
  });
  it('case changes of the handle are not renames', () => {
    expect(diffChannel(state(), active('ALPHA'), t1)).toEqual([]);
  });
  it('restored after removal, with the downtime', () => {
    const prev = state({ status: 'removed', removedAt: t0 });
    const [ev] = diffChannel(prev, active('alpha'), t1);
    expect(ev?.type).toBe('restored');
    expect(ev?.data.downMs).toBe(t1.getTime() - t0.getTime());
  });
  it('not_found and private are distinct transitions; repeats add nothing', () => {
    expect(diffChannel(state(), { platform: 'telegram', handle: 'alpha', status: 'not_found' }, t1).map((e) => e.type)).toEqual(['not_found']);
    expect(diffChannel(state(), { platform: 'telegram', handle: 'alpha', status: 'private' }, t1).map((e) => e.type)).toEqual(['private']);
    expect(diffChannel(state({ status: 'removed' }), { platform: 'telegram', handle: 'alpha', status: 'removed' }, t1)).toEqual([]);
  });
  it('title and avatar changes while active', () => {
    const evs = diffChannel(state({ avatarUrl: 'a.png' }), active('alpha', { title: 'T2', avatarUrl: 'b.png' }), t1);
    expect(evs.map((e) => e.type)).toEqual(['title_changed', 'avatar_changed']);
  });
  it('a status page seen under an old handle does not overwrite the current handle', () => {
    const next = nextChannelState(
      state({ handle: 'alpha_2', handles: ['alpha', 'alpha_2'] }),
      { platform: 'telegram', handle: 'alpha', status: 'not_found' },
      t1,
    );
    expect(next.handle).toBe('alpha_2');
    expect(next.removedAt).toBeUndefined();
  });
  it('removedAt is set once and kept while removed', () => {
    const s1 = nextChannelState(state(), { platform: 'telegram', handle: 'alpha', status: 'removed' }, t1);
    const s2 = nextChannelState(s1, { platform: 'telegram', handle: 'alpha', status: 'removed' }, new Date(t1.getTime() + 60000));
    expect(s2.removedAt).toEqual(t1);
  });
});

describe('channel transitions: handles that are not channels', () => {
  const t0 = new Date('2026-11-20T00:00:00Z');
  const t1 = new Date('2026-11-21T00:00:00Z');
  const group: ChannelSnapshot = {
    platform: 'telegram',
    handle: 'sim_chat',
    status: 'not_channel',
    kind: 'group',
    title: 'Sim Chat',
    subscribers: 97957,
    statusDetail: 'public group: its messages cannot be read through t.me/s',
  };

  it('a group seen first is recorded as a group, with a not_channel event (not private)', () => {
    expect(diffChannel(undefined, group, t0)).toEqual([
      { type: 'first_seen', at: t0, data: { handle: 'sim_chat', status: 'not_channel', title: 'Sim Chat' } },
      { type: 'not_channel', at: t0, data: { detail: 'public group: its messages cannot be read through t.me/s', kind: 'group' } },
    ]);
    expect(nextChannelState(undefined, group, t0)).toMatchObject({ status: 'not_channel', kind: 'group' });
  });

  it('a channel whose handle now points at a user: one not_channel event with the kind', () => {
    const prev = nextChannelState(undefined, { platform: 'telegram', handle: 'sim_chat', platformId: '1006500009', status: 'active', kind: 'channel' }, t0);
    const evs = diffChannel(
      prev,
      { platform: 'telegram', handle: 'sim_chat', status: 'not_channel', kind: 'user', statusDetail: 'a user account, not a channel' },
      t1,
    );
    expect(evs).toEqual([{ type: 'not_channel', at: t1, data: { from: 'active', detail: 'a user account, not a channel', kind: 'user' } }]);
  });
});
