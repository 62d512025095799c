/**
 * crawlers/telegram-api: GramJS's own objects (built with the library's constructors) mapped to hydrawatch's
 * documents: every media kind, the service messages, forwards, replies, reactions, channels, users, and each API error
 * to a chat's state.
 */
import { Api, errors } from 'telegram';
import { returnBigInt } from 'telegram/Helpers';
import {
  CHAT_STATE_OF_ERROR,
  CREDENTIAL_ERRORS,
  SESSION_ERRORS,
  channelSnapshot,
  classifyApiError,
  mapMessage,
  otherPeerSnapshot,
  peerDirectory,
  stateSnapshot,
  type MessageContext,
} from '../../crawlers/telegram-api';
import type { MediaKind } from '../../crawlers/types';

const big = returnBigInt;
const CHAT = '1006503122';
const channel = new Api.Channel({
  id: big(CHAT),
  accessHash: big(77),
  title: 'Sim Alpha',
  username: 'sim_alpha',
  photo: new Api.ChatPhotoEmpty(),
  date: 1_700_000_000,
  broadcast: true,
  participantsCount: 1200,
});
const source = new Api.Channel({ id: big(555), title: 'Sim Source', username: 'sim_source', photo: new Api.ChatPhotoEmpty(), date: 1, broadcast: true });
const user = new Api.User({ id: big(42), firstName: 'Sim', lastName: 'Person', username: 'sim_person' });
const ctx: MessageContext = { chatId: CHAT, handle: 'sim_alpha', linkBase: 'https://t.me', peers: peerDirectory([channel, source], [user]) };
const peer = new Api.PeerChannel({ channelId: big(CHAT) });
const DATE = 1_700_000_100;

function message(over: Record<string, unknown>): Api.Message {
  return new Api.Message({ id: 10, peerId: peer, date: DATE, message: '', ...over });
}

function doc(attributes: Api.TypeDocumentAttribute[], mimeType = 'video/mp4', size = 1_572_864): Api.Document {
  return new Api.Document({ id: big(1), accessHash: big(2), fileReference: Buffer.from('ref'), date: DATE, mimeType, size: big(size), dcId: 2, attributes });
}

function docMessage(attributes: Api.TypeDocumentAttribute[], flags: Record<string, unknown> = {}, mimeType?: string): Api.Message {
  return message({ media: new Api.MessageMediaDocument({ document: doc(attributes, mimeType), ...flags }) });
}

describe('GramJS messages → hydrawatch posts', () => {
  it('maps text, entities (links, hashtags, mentions), views, date, url and reactions', () => {
    const text = 'Hello #News from @sim_person see example.org and the site';
    const entities = [
      new Api.MessageEntityHashtag({ offset: 6, length: 5 }),
      new Api.MessageEntityMention({ offset: 17, length: 11 }),
      new Api.MessageEntityUrl({ offset: 33, length: 11 }),
      new Api.MessageEntityTextUrl({ offset: 53, length: 4, url: 'https://example.net/page' }),
    ];
    const reactions = new Api.MessageReactions({
      results: [
        new Api.ReactionCount({ reaction: new Api.ReactionEmoji({ emoticon: '👍' }), count: 5 }),
        new Api.ReactionCount({ reaction: new Api.ReactionCustomEmoji({ documentId: big(99) }), count: 9 }),
        new Api.ReactionCount({ reaction: new Api.ReactionPaid(), count: 2 }),
      ],
    });
    const p = mapMessage(message({ message: text, entities, views: 3400, reactions }), ctx);
    expect(p).toEqual({
      postId: '10',
      url: 'https://t.me/sim_alpha/10',
      publishedAt: new Date(DATE * 1000),
      text,
      links: ['https://example.org', 'https://example.net/page'],
      hashtags: ['News'],
      mentions: ['sim_person'],
      views: 3400,
      media: [],
      reactions: [
        { reaction: 'custom:99', count: 9 },
        { reaction: '👍', count: 5 },
        { reaction: 'paid', count: 2 },
      ],
    });
  });

  it('counts entity offsets in UTF-16 units, as Telegram does (emoji before a hashtag)', () => {
    const text = '🔥🔥 #tag';
    const p = mapMessage(message({ message: text, entities: [new Api.MessageEntityHashtag({ offset: 5, length: 4 })] }), ctx);
    expect(p?.hashtags).toEqual(['tag']);
  });

  it.each<[string, Api.Message, MediaKind, Record<string, unknown>]>([
    [
      'photo',
      message({
        media: new Api.MessageMediaPhoto({
          photo: new Api.Photo({ id: big(1), accessHash: big(2), fileReference: Buffer.from('r'), date: DATE, sizes: [], dcId: 2 }),
        }),
      }),
      'photo',
      {},
    ],
    ['video', docMessage([new Api.DocumentAttributeVideo({ duration: 61.4, w: 640, h: 360 })]), 'video', { durationSec: 61 }],
    [
      'round video',
      docMessage([new Api.DocumentAttributeVideo({ duration: 12, w: 240, h: 240, roundMessage: true })], { round: true }),
      'round_video',
      { durationSec: 12 },
    ],
    ['GIF', docMessage([new Api.DocumentAttributeAnimated(), new Api.DocumentAttributeVideo({ duration: 3, w: 200, h: 200 })]), 'gif', {}],
    ['sticker', docMessage([new Api.DocumentAttributeSticker({ alt: '🙂', stickerset: new Api.InputStickerSetEmpty() })], {}, 'image/webp'), 'sticker', {}],
    ['voice', docMessage([new Api.DocumentAttributeAudio({ duration: 7, voice: true })], { voice: true }, 'audio/ogg'), 'voice', { durationSec: 7 }],
    [
      'audio',
      docMessage([new Api.DocumentAttributeAudio({ duration: 200, title: 'Sim Song', performer: 'Sim Band' })], {}, 'audio/mpeg'),
      'audio',
      { durationSec: 200, fileName: 'Sim Song', performer: 'Sim Band' },
    ],
    ['document', docMessage([new Api.DocumentAttributeFilename({ fileName: 'report.pdf' })], {}, 'application/pdf'), 'document', { fileName: 'report.pdf' }],
  ])('maps a %s to media kind with the API reference to download it by', (_name, msg, kind, extra) => {
    const p = mapMessage(msg, ctx);
    expect(p?.media).toHaveLength(1);
    expect(p?.media[0]).toMatchObject({ kind, url: `tg-api://${CHAT}/10`, ...extra });
    if (kind !== 'photo') expect(p?.media[0]?.sizeText).toBe('1.5 MB');
  });

  it('maps a link preview, a poll, a place, a venue and a live location', () => {
    const web = mapMessage(
      message({
        message: 'https://example.org/a',
        media: new Api.MessageMediaWebPage({
          webpage: new Api.WebPage({
            id: big(1),
            url: 'https://example.org/a',
            displayUrl: 'example.org/a',
            hash: 0,
            siteName: 'Example',
            title: 'A',
            description: 'About A',
          }),
        }),
      }),
      ctx,
    );
    expect(web?.linkPreview).toEqual({ url: 'https://example.org/a', siteName: 'Example', title: 'A', description: 'About A' });
    expect(web?.media).toEqual([]);
    const answer = (t: string, o: number): Api.PollAnswer =>
      new Api.PollAnswer({ text: new Api.TextWithEntities({ text: t, entities: [] }), option: Buffer.from([o]) });
    const poll = mapMessage(
      message({
        media: new Api.MessageMediaPoll({
          poll: new Api.Poll({
            id: big(5),
            question: new Api.TextWithEntities({ text: 'Which?', entities: [] }),
            answers: [answer('One', 0), answer('Two', 1)],
            quiz: true,
          }),
          results: new Api.PollResults({}),
        }),
      }),
      ctx,
    );
    expect(poll?.poll).toEqual({ question: 'Which?', options: ['One', 'Two'], type: 'Quiz' });
    expect(poll?.text).toBe('Which?\nOne\nTwo');
    const geo = new Api.GeoPoint({ long: 13.4, lat: 52.5, accessHash: big(0) });
    expect(mapMessage(message({ media: new Api.MessageMediaGeo({ geo }) }), ctx)?.location).toEqual({ latitude: 52.5, longitude: 13.4 });
    expect(mapMessage(message({ media: new Api.MessageMediaGeoLive({ geo, period: 60 }) }), ctx)?.location).toEqual({ latitude: 52.5, longitude: 13.4 });
    const venue = new Api.MessageMediaVenue({ geo, title: 'Sim Hall', address: '1 Sim Street', provider: 'foursquare', venueId: 'x', venueType: '' });
    expect(mapMessage(message({ media: venue }), ctx)?.location).toEqual({ latitude: 52.5, longitude: 13.4, title: 'Sim Hall', address: '1 Sim Street' });
  });

  it('keeps contacts, dice and unsupported media out of the media list', () => {
    const contact = new Api.MessageMediaContact({ phoneNumber: '+0', firstName: 'A', lastName: '', vcard: '', userId: big(0) });
    for (const media of [contact, new Api.MessageMediaDice({ value: 3, emoticon: '🎲' }), new Api.MessageMediaUnsupported()]) {
      expect(mapMessage(message({ message: 'x', media }), ctx)?.media).toEqual([]);
    }
  });

  it('maps a forward from a known channel, and one from a hidden sender by name', () => {
    const fwd = mapMessage(
      message({ message: 'x', fwdFrom: new Api.MessageFwdHeader({ date: DATE, fromId: new Api.PeerChannel({ channelId: big(555) }), channelPost: 77 }) }),
      ctx,
    );
    expect(fwd?.forwardedFrom).toEqual({ name: 'Sim Source', handle: 'sim_source', url: 'https://t.me/sim_source/77', postId: '77' });
    const hidden = mapMessage(message({ message: 'x', fwdFrom: new Api.MessageFwdHeader({ date: DATE, fromName: 'Someone' }) }), ctx);
    expect(hidden?.forwardedFrom).toEqual({ name: 'Someone' });
    const fromUser = mapMessage(
      message({ message: 'x', fwdFrom: new Api.MessageFwdHeader({ date: DATE, fromId: new Api.PeerUser({ userId: big(42) }) }) }),
      ctx,
    );
    expect(fromUser?.forwardedFrom).toEqual({ name: 'Sim Person', handle: 'sim_person', url: 'https://t.me/sim_person' });
  });

  it('maps replies in the same chat and to another chat', () => {
    expect(mapMessage(message({ message: 'x', replyTo: new Api.MessageReplyHeader({ replyToMsgId: 8 }) }), ctx)?.replyTo).toEqual({
      postId: '8',
      url: 'https://t.me/sim_alpha/8',
    });
    const other = new Api.MessageReplyHeader({ replyToMsgId: 3, replyToPeerId: new Api.PeerChannel({ channelId: big(555) }) });
    expect(mapMessage(message({ message: 'x', replyTo: other }), ctx)?.replyTo).toEqual({ postId: '3', url: 'https://t.me/sim_source/3' });
  });

  it('links messages of a chat without a handle by its id (t.me/c/…)', () => {
    expect(mapMessage(message({ message: 'x' }), { ...ctx, handle: undefined })?.url).toBe(`https://t.me/c/${CHAT}/10`);
  });

  it.each<[string, Api.TypeMessageAction, Record<string, unknown>, string]>([
    ['channel created', new Api.MessageActionChannelCreate({ title: 'Sim Alpha' }), { type: 'channel_created' }, 'Channel created'],
    ['group created', new Api.MessageActionChatCreate({ title: 'G', users: [] }), { type: 'channel_created' }, 'Group created'],
    [
      'renamed',
      new Api.MessageActionChatEditTitle({ title: 'Sim Beta' }),
      { type: 'title_changed', title: 'Sim Beta' },
      'Channel name was changed to «Sim Beta»',
    ],
    ['photo changed', new Api.MessageActionChatEditPhoto({ photo: new Api.PhotoEmpty({ id: big(0) }) }), { type: 'photo_changed' }, 'Channel photo updated'],
    ['photo removed', new Api.MessageActionChatDeletePhoto(), { type: 'photo_removed' }, 'Channel photo removed'],
    ['pinned', new Api.MessageActionPinMessage(), { type: 'pinned', pinnedPostId: '7' }, 'pinned a message'],
    ['member joined', new Api.MessageActionChatAddUser({ users: [big(42)] }), { type: 'other' }, 'joined the group'],
    ['joined by link', new Api.MessageActionChatJoinedByLink({ inviterId: big(42) }), { type: 'other' }, 'joined the group'],
    ['member left', new Api.MessageActionChatDeleteUser({ userId: big(42) }), { type: 'other' }, 'left the group'],
    ['migrated', new Api.MessageActionChannelMigrateFrom({ title: 'old', chatId: big(1) }), { type: 'other' }, 'Group migrated from a basic group'],
    ['history cleared', new Api.MessageActionHistoryClear(), { type: 'other' }, 'HistoryClear'],
  ])('maps the service message "%s" to an event, never a post', (_n, action, service, text) => {
    const msg = new Api.MessageService({ id: 11, peerId: peer, date: DATE, action, replyTo: new Api.MessageReplyHeader({ replyToMsgId: 7 }) });
    const p = mapMessage(msg, ctx);
    expect(p?.service).toEqual(service);
    expect(p?.text).toBe(text);
    expect(p?.media).toEqual([]);
  });

  it('skips an empty message slot', () => {
    expect(mapMessage(new Api.MessageEmpty({ id: 12 }), ctx)).toBeUndefined();
  });
});

describe('GramJS channels and users → channel snapshots', () => {
  const full = new Api.ChannelFull({
    id: big(CHAT),
    about: 'A synthetic channel',
    participantsCount: 1300,
    readInboxMaxId: 0,
    readOutboxMaxId: 0,
    unreadCount: 0,
    chatPhoto: new Api.PhotoEmpty({ id: big(0) }),
    notifySettings: new Api.PeerNotifySettings({}),
    botInfo: [],
    pts: 1,
  });

  it('keys a channel by its numeric id (as the web preview does), with title, description and member count', () => {
    expect(channelSnapshot('Sim_Alpha', channel, full)).toEqual({
      platform: 'telegram-api',
      handle: 'sim_alpha',
      platformId: CHAT,
      title: 'Sim Alpha',
      description: 'A synthetic channel',
      subscribers: 1300,
      kind: 'channel',
      status: 'active',
    });
  });

  it('says a supergroup is a group, and takes the member count of the channel object without full info', () => {
    const group = new Api.Channel({ id: big(7), title: 'Sim Group', photo: new Api.ChatPhotoEmpty(), date: 1, megagroup: true, participantsCount: 50 });
    expect(channelSnapshot('sim_group', group)).toMatchObject({ kind: 'group', subscribers: 50, handle: 'sim_group', platformId: '7' });
  });

  it('finds a handle among collectible usernames', () => {
    const c = new Api.Channel({
      id: big(8),
      title: 'C',
      photo: new Api.ChatPhotoEmpty(),
      date: 1,
      usernames: [new Api.Username({ username: 'old_one', active: false }), new Api.Username({ username: 'new_one', active: true })],
    });
    expect(channelSnapshot('x', c).handle).toBe('new_one');
  });

  it('maps a chat blocked for everyone to removed (terms of service), and one blocked on some apps only to active', () => {
    const text = "This channel can't be displayed because it violated Telegram's Terms of Service.";
    const blocked = new Api.Channel({
      id: big(9),
      title: 'B',
      photo: new Api.ChatPhotoEmpty(),
      date: 1,
      restricted: true,
      restrictionReason: [new Api.RestrictionReason({ platform: 'all', reason: 'terms', text })],
    });
    expect(channelSnapshot('b', blocked)).toMatchObject({ status: 'removed', reason: 'tos_violation', statusDetail: text });
    const someApps = new Api.Channel({
      id: big(9),
      title: 'B',
      photo: new Api.ChatPhotoEmpty(),
      date: 1,
      restrictionReason: [new Api.RestrictionReason({ platform: 'ios', reason: 'porn', text: 'x' })],
    });
    expect(channelSnapshot('b', someApps).status).toBe('active');
  });

  it('maps users, bots and forbidden chats the handle resolves to', () => {
    expect(otherPeerSnapshot('sim_person', user)).toEqual({
      platform: 'telegram-api',
      handle: 'sim_person',
      platformId: '42',
      status: 'not_channel',
      kind: 'user',
    });
    expect(otherPeerSnapshot('sim_bot', new Api.User({ id: big(43), bot: true })).kind).toBe('bot');
    const forbidden = new Api.ChannelForbidden({ id: big(44), accessHash: big(1), title: 'Closed', megagroup: true });
    expect(otherPeerSnapshot('closed', forbidden)).toMatchObject({ status: 'private', kind: 'group', title: 'Closed', platformId: '44' });
  });
});

describe('API errors → chat states', () => {
  const request = new Api.help.GetConfig();
  const rpc = (m: string, code = 400): errors.RPCError => new errors.RPCError(m, request, code);

  it.each([
    ['USERNAME_NOT_OCCUPIED', 'not_found'],
    ['USERNAME_INVALID', 'not_found'],
    ['CHANNEL_PRIVATE', 'private'],
    ['CHAT_FORBIDDEN', 'private'],
    ['CHANNEL_INVALID', 'removed'],
    ['CHANNEL_PUBLIC_GROUP_NA', 'removed'],
    ['CHAT_ID_INVALID', 'not_found'],
    ['PEER_ID_INVALID', 'not_found'],
    ['MSG_ID_INVALID', 'not_found'],
  ])('%s → %s', (code, status) => {
    const c = classifyApiError(rpc(code));
    expect(c).toMatchObject({ kind: 'chat', code, state: { status } });
    if (c.kind === 'chat')
      expect(stateSnapshot('h', c.state, c.code)).toMatchObject({ platform: 'telegram-api', handle: 'h', status, statusDetail: expect.stringContaining(code) });
  });

  it('covers every documented chat-state error above', () => {
    expect(Object.keys(CHAT_STATE_OF_ERROR).sort()).toEqual(
      [
        'USERNAME_NOT_OCCUPIED',
        'USERNAME_INVALID',
        'CHANNEL_PRIVATE',
        'CHAT_FORBIDDEN',
        'CHANNEL_INVALID',
        'CHANNEL_PUBLIC_GROUP_NA',
        'CHAT_ID_INVALID',
        'PEER_ID_INVALID',
        'MSG_ID_INVALID',
      ].sort(),
    );
  });

  it('tells flood waits (GramJS FloodWaitError and the raw codes), lost logins, bad credentials and the rest', () => {
    expect(classifyApiError(new errors.FloodWaitError({ request, capture: 42 }))).toEqual({ kind: 'flood', seconds: 42, code: 'FLOOD_WAIT' });
    expect(classifyApiError(rpc('FLOOD_PREMIUM_WAIT_5', 420))).toEqual({ kind: 'flood', seconds: 5, code: 'FLOOD_PREMIUM_WAIT_5' });
    for (const code of SESSION_ERRORS) expect(classifyApiError(rpc(code, 401))).toEqual({ kind: 'session', code });
    expect(SESSION_ERRORS).toEqual(expect.arrayContaining(['AUTH_KEY_UNREGISTERED', 'SESSION_REVOKED', 'USER_DEACTIVATED_BAN']));
    for (const code of Object.keys(CREDENTIAL_ERRORS)) expect(classifyApiError(rpc(code))).toMatchObject({ kind: 'credentials', code });
    expect(classifyApiError(rpc('INTERNAL_SERVER_ERROR', 500))).toEqual({ kind: 'other', code: 'INTERNAL_SERVER_ERROR' });
    expect(classifyApiError(new Error('socket hang up'))).toEqual({ kind: 'other', code: 'Error' });
  });
});
