/**
 * A network's comeback form (pure): groups that lose several channels at once tend to bring them all back the same
 * way (alpha → alpha_mirror9, beta → beta_mirror9). Once one successor of a network is found, the form it took is
 * written down (`*` for the old handle, `@` for its stem) and tried first on the network's other removed channels,
 * even where it is no look-alike variant of any family.
 */
import { handleStem } from './handle-variants';

const HANDLE = /^[a-z][a-z0-9_]{3,31}$/;
/** Prior of a handle a network's comeback form gives (as likely as one the channel named). */
export const FORM_PRIOR = 1;
/** Forms tried per search (the network's first ones). */
export const MAX_FORMS = 20;

/**
 * Pure: the form of a comeback: the successor's handle with the predecessor's handle in it written `*` (`*_mirror9`,
 * `new_*`, `*2`), else with the predecessor's stem in it written `@` (alpha_tv → alpha_backup: `@_backup`); none when
 * the successor holds neither (a homoglyph, a transliteration, a dropped separator: the variant families cover them).
 */
export function comebackForm(predecessor: string, successor: string): string | undefined {
  const p = predecessor.toLowerCase();
  const s = successor.toLowerCase();
  if (s === p) return undefined;
  if (s.includes(p)) return s.replace(p, '*');
  const stem = handleStem(p);
  if (stem.length >= 4 && stem !== p && s.includes(stem)) return s.replace(stem, '@');
  return undefined;
}

/** Pure: the handle a form gives for another channel (none when it is no valid handle). */
export function applyForm(form: string, handle: string): string | undefined {
  const h = handle.toLowerCase();
  const out = form.includes('*') ? form.replace('*', h) : form.includes('@') ? form.replace('@', handleStem(h)) : undefined;
  return out && out !== h && HANDLE.test(out) ? out : undefined;
}
