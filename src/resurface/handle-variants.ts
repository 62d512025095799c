/**
 * Bounded set of look-alike handles a re-opened channel tends to use (pure): numeric suffixes and increments,
 * separators added or dropped, homoglyph swaps (0/o, 1/l/i, rn/m) and affixes such as _official, _backup, _new.
 */
const HANDLE = /^[A-Za-z][A-Za-z0-9_]{3,31}$/;
const AFFIXES = ['_official', '_backup', '_new', 'official', 'backup', 'new', '_channel', '_tv', '_news', '_1', '_2'];
const PREFIXES = ['new_', 'official_', 'the_', 'real_'];
const HOMOGLYPHS: Array<[string, string]> = [['o', '0'], ['0', 'o'], ['l', '1'], ['1', 'l'], ['i', '1'], ['l', 'i'], ['i', 'l'], ['rn', 'm'], ['m', 'rn'], ['e', '3'], ['a', '4'], ['s', '5']];

function numericVariants(h: string): string[] {
  const m = /^(.*?)(\d+)$/.exec(h);
  if (m) {
    const stem = m[1] as string;
    const n = Number(m[2]);
    return [`${stem}${n + 1}`, `${stem}${n + 2}`, `${stem}${n + 3}`, stem.replace(/_$/, ''), `${stem}${String(n + 1).padStart((m[2] as string).length, '0')}`];
  }
  return [`${h}1`, `${h}2`, `${h}3`, `${h}_1`, `${h}_2`, `${h}_2025`, `${h}_2026`];
}

function separatorVariants(h: string): string[] {
  const out = [h.replace(/_/g, ''), h.replace(/_/g, '__')];
  // add a separator between letter groups and digits, or at word-ish boundaries
  out.push(h.replace(/([a-z])(\d)/gi, '$1_$2'));
  for (let i = 3; i < h.length - 2; i++) if (h[i] !== '_' && h[i - 1] !== '_') out.push(`${h.slice(0, i)}_${h.slice(i)}`);
  return out;
}

function homoglyphVariants(h: string): string[] {
  const out: string[] = [];
  for (const [from, to] of HOMOGLYPHS) {
    let idx = h.indexOf(from);
    while (idx >= 0) {
      out.push(h.slice(0, idx) + to + h.slice(idx + from.length));
      idx = h.indexOf(from, idx + 1);
    }
  }
  return out;
}

export function handleVariants(handle: string, max = 60): string[] {
  const h = handle.toLowerCase();
  const stem = h.replace(/(_?(official|backup|new|channel|tv))+$/, '').replace(/^(new_|official_|the_|real_)/, '');
  const ordered = [
    ...numericVariants(h),
    ...(stem !== h ? [stem, ...numericVariants(stem)] : []),
    ...AFFIXES.map((a) => `${stem}${a}`),
    ...PREFIXES.map((p) => `${p}${stem}`),
    ...separatorVariants(h),
    ...homoglyphVariants(h),
  ];
  const seen = new Set<string>([h]);
  const out: string[] = [];
  for (const v of ordered) {
    if (out.length >= max) break;
    if (!HANDLE.test(v) || seen.has(v)) continue;
    seen.add(v);
    out.push(v);
  }
  return out;
}

/** Canonical form for comparing handles: lowercase, separators dropped, homoglyphs folded, digits at the end dropped. */
export function canonicalHandle(handle: string): string {
  return handle
    .toLowerCase()
    // a numeric suffix or increment first: "alpha3" is alpha's third head, not "alphae"
    .replace(/[_\d]+$/, '')
    .replace(/rn/g, 'm')
    .replace(/0/g, 'o')
    .replace(/[1|!]/g, 'l')
    .replace(/i/g, 'l')
    .replace(/3/g, 'e')
    .replace(/4/g, 'a')
    .replace(/5/g, 's')
    .replace(/_/g, '')
    .replace(/(official|backup|new|channel)+$/, '')
    .replace(/^(new|official|the|real)/, '')
    .replace(/\d+$/, '');
}
