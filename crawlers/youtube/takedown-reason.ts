import type { TakedownReason } from '../types';

/**
 * Pure: the reason a video or channel is gone, from the words YouTube's page uses (English; other languages are
 * `unavailable`, with their text kept). The strings are those that public extractors match on (see
 * test/fixtures/youtube/README.md): "This video has been removed for violating YouTube's Terms of Service",
 * "This video is no longer available because the YouTube account associated with this video has been terminated.",
 * "This video is private" / "Private video", "This video has been removed by the uploader", and for channels
 * "This account has been terminated for a violation of YouTube's Terms of Service." and its variants, and
 * "This channel does not exist." (`not_found`, as a 404 would be).
 */
export function classifyYoutubeReason(text: string | undefined, _status?: string): TakedownReason {
  const t = (text ?? '').toLowerCase().replace(/[’‘]/g, "'");
  if (/(channel|video|account) (does not|doesn't) exist/.test(t)) return 'not_found';
  if (/account .*(has been )?terminated|channel was removed|uploader has closed their youtube account/.test(t)) return 'account_terminated';
  if (/removed by the uploader|deleted by the uploader/.test(t)) return 'deleted_by_uploader';
  if (/private/.test(t)) return 'private';
  if (/terms of service|community guidelines|violat|infringement/.test(t)) return 'tos_violation';
  return 'unavailable';
}
