import { Api } from 'telegram';
import type { GeoLocation, LinkPreview, MediaKind, MediaRef, Poll } from '../types';

/** What a message's media gives a post: media references, or a link preview, a poll or a place. */
export interface MappedMedia {
  media: MediaRef[];
  linkPreview?: LinkPreview;
  poll?: Poll;
  location?: GeoLocation;
}

/** Pure: the media of a message, as hydrawatch's media kinds (`url` the API reference when the bytes can be downloaded). */
export function mapMedia(media: Api.TypeMessageMedia | undefined, url: string): MappedMedia {
  if (!media) return { media: [] };
  if (media instanceof Api.MessageMediaPhoto) return { media: media.photo instanceof Api.Photo ? [{ kind: 'photo', url }] : [] };
  if (media instanceof Api.MessageMediaDocument) return { media: media.document instanceof Api.Document ? [documentRef(media, media.document, url)] : [] };
  if (media instanceof Api.MessageMediaWebPage) return webPage(media.webpage);
  if (media instanceof Api.MessageMediaPoll) return { media: [], poll: pollOf(media.poll) };
  if (media instanceof Api.MessageMediaVenue) return { media: [], location: { ...geoOf(media.geo), title: media.title, address: media.address } };
  if (media instanceof Api.MessageMediaGeo || media instanceof Api.MessageMediaGeoLive) return { media: [], location: geoOf(media.geo) };
  if (media instanceof Api.MessageMediaPaidMedia) return { media: media.extendedMedia.flatMap((m) => paidMedia(m, url)) };
  // contacts, dice, games, invoices, stories, giveaways: no bytes to fingerprint and no field of their own
  return { media: [] };
}

/** Pure: a document's kind by its attributes (round video, GIF, sticker, voice, audio, video, else a document). */
export function documentKind(doc: Api.Document, flags: { round?: boolean; voice?: boolean } = {}): MediaKind {
  const video = doc.attributes.find((a): a is Api.DocumentAttributeVideo => a instanceof Api.DocumentAttributeVideo);
  const audio = doc.attributes.find((a): a is Api.DocumentAttributeAudio => a instanceof Api.DocumentAttributeAudio);
  if (flags.round || video?.roundMessage) return 'round_video';
  if (doc.attributes.some((a) => a instanceof Api.DocumentAttributeSticker)) return 'sticker';
  if (doc.attributes.some((a) => a instanceof Api.DocumentAttributeAnimated)) return 'gif';
  if (flags.voice || audio?.voice) return 'voice';
  if (audio) return 'audio';
  if (video) return 'video';
  if (doc.mimeType.startsWith('image/')) return 'photo';
  return 'document';
}

function documentRef(media: Api.MessageMediaDocument, doc: Api.Document, url: string): MediaRef {
  const kind = documentKind(doc, { ...(media.round ? { round: true } : {}), ...(media.voice ? { voice: true } : {}) });
  const video = doc.attributes.find((a): a is Api.DocumentAttributeVideo => a instanceof Api.DocumentAttributeVideo);
  const audio = doc.attributes.find((a): a is Api.DocumentAttributeAudio => a instanceof Api.DocumentAttributeAudio);
  const fileName = doc.attributes.find((a): a is Api.DocumentAttributeFilename => a instanceof Api.DocumentAttributeFilename)?.fileName;
  const seconds = video?.duration ?? audio?.duration;
  const durationSec = seconds !== undefined && kind !== 'gif' && kind !== 'sticker' ? Math.round(seconds) : undefined;
  const name = kind === 'audio' ? (audio?.title ?? fileName) : kind === 'document' ? fileName : undefined;
  return {
    kind,
    url,
    ...(durationSec !== undefined ? { durationSec } : {}),
    ...(name ? { fileName: name } : {}),
    ...(kind === 'audio' && audio?.performer ? { performer: audio.performer } : {}),
    sizeText: sizeText(Number(doc.size.toString())),
  };
}

/** A byte count as people read it ("1.2 MB"), as the web preview prints sizes. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(1)} ${units[i] ?? 'GB'}`;
}

function webPage(page: Api.TypeWebPage): MappedMedia {
  if (!(page instanceof Api.WebPage)) return { media: [] };
  return {
    media: [],
    linkPreview: {
      url: page.url,
      ...(page.siteName ? { siteName: page.siteName } : {}),
      ...(page.title ? { title: page.title } : {}),
      ...(page.description ? { description: page.description } : {}),
    },
  };
}

function pollOf(poll: Api.Poll): Poll {
  const type = poll.quiz ? 'Quiz' : poll.publicVoters ? 'Poll' : 'Anonymous Poll';
  return { question: poll.question.text, options: poll.answers.map((a) => a.text.text), type };
}

function geoOf(geo: Api.TypeGeoPoint): GeoLocation {
  return geo instanceof Api.GeoPoint ? { latitude: geo.lat, longitude: geo.long } : {};
}

function paidMedia(m: Api.TypeMessageExtendedMedia, url: string): MediaRef[] {
  return m instanceof Api.MessageExtendedMedia ? mapMedia(m.media, url).media : [];
}
