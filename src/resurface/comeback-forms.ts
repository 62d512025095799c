/**
 * A network's comeback form (pure): groups that lose several channels at once tend to bring them all back the same
 * way (alpha → alpha_mirror9, beta → beta_mirror9). Once one successor of a network is found, the form it took is
 * written down (`*` for the old handle, `@` for its stem) and tried first on the network's other removed channels,
 * even where it is no look-alike variant of any family.
 */
import { handleStem, isSettableHandle } from './handle-variants';

/**
 * Prior of a handle a network's comeback form gives: the most common family's (looked at every `hotReprobeSeconds`).
 * A form that gives a look-alike variant keeps the variant's own prior until the network took it twice: in a wave
 * where each channel came back its own way, every form boosted would take the budget from the variants.
 */
export const FORM_PRIOR = 0.3;
/** Comebacks of the network in one form before its variant is boosted to FORM_PRIOR. */
export const FORM_REPEATS = 2;
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

/**
 * Pure: the priors of the handles a network's forms give this channel, each form with the number of the network's
 * comebacks that took it: a handle that is no variant at FORM_PRIOR; a variant raised to FORM_PRIOR once FORM_REPEATS
 * comebacks took its form, else left at its own prior (not listed). At most MAX_FORMS.
 */
export function formPriors(forms: ReadonlyMap<string, number>, handle: string, variantPriors: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [form, times] of forms) {
    if (out.size >= MAX_FORMS) break;
    const h = applyForm(form, handle);
    if (!h || out.has(h)) continue;
    const own = variantPriors.get(h);
    if (own === undefined) out.set(h, FORM_PRIOR);
    else if (times >= FORM_REPEATS && own < FORM_PRIOR) out.set(h, FORM_PRIOR);
  }
  return out;
}

/** Pure: the handle a form gives for another channel (none when Telegram would not give it: isSettableHandle). */
export function applyForm(form: string, handle: string): string | undefined {
  const h = handle.toLowerCase();
  const out = form.includes('*') ? form.replace('*', h) : form.includes('@') ? form.replace('@', handleStem(h)) : undefined;
  return out && out !== h && isSettableHandle(out) ? out : undefined;
}
