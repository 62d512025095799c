import type { CandidateOrigin } from '../store/repos/successor-candidates';
import type { PointedHandle } from '../store/repos/handle-pointers';
import { RANK_DECAY } from './handle-variants';
import { POINTED_PRIOR, TOP_PRIOR } from './probe-plan';

/** Handles pointed at from outside the network that a search looks at (the most pointed-at first). */
export const MAX_POINTED_ELSEWHERE = 20;

export interface OrderedCandidate {
  handle: string;
  origins: CandidateOrigin[];
  /**
   * named: named in the predecessor's own description; network: pointed at from a channel of the predecessor's
   * network; variant: a look-alike; pointed: pointed at from elsewhere.
   */
  priority: 'named' | 'network' | 'variant' | 'pointed';
  /** How likely the comeback takes this handle (probe-plan.ts): 1 named or pointed at by the network, else the variant's prior. */
  prior: number;
}

/** A variant with its prior; a bare handle gets the prior of its rank in the list given (most likely first). */
export type VariantInput = string | { handle: string; prior: number };

/** Pure: pointed at by some channel other than the predecessor, sharing one of its tags (any, when it has none). */
export function fromSameNetwork(p: PointedHandle, predecessorKey: string, predTags: ReadonlySet<string>): boolean {
  const others = [...p.from].filter((c) => c !== predecessorKey);
  return others.length > 0 && (predTags.size === 0 || [...p.tags].some((t) => predTags.has(t)));
}

/**
 * Pure: the candidates of one removed channel in the order they are probed. Handles pointed at (links, mentions,
 * forwards) from channels of the same network first, most pointed-at first; then the handle variants in the order
 * given (most likely first); then handles pointed at from elsewhere. Handles the predecessor named in its own
 * description (`named`) come before all of them, in the order given. Known handles of the channel itself are left out.
 * At most MAX_POINTED_ELSEWHERE handles pointed at from elsewhere, the most pointed-at first.
 */
export function orderCandidates(
  variants: readonly VariantInput[],
  pointed: ReadonlyMap<string, PointedHandle>,
  predecessorKey: string,
  predTags: ReadonlySet<string>,
  known: ReadonlySet<string>,
  named: Iterable<string> = [],
): OrderedCandidate[] {
  const network: Array<OrderedCandidate & { weight: number }> = [];
  const others: Array<OrderedCandidate & { weight: number }> = [];
  const ranked = variants.map((v, i) => (typeof v === 'string' ? { handle: v, prior: TOP_PRIOR * RANK_DECAY ** i } : v));
  const variantSet = new Set(ranked.map((v) => v.handle.toLowerCase()));
  const first: OrderedCandidate[] = [];
  for (const n of named) {
    const h = n.toLowerCase();
    if (known.has(h) || first.some((c) => c.handle === h)) continue;
    const p = pointed.get(h);
    const origins: CandidateOrigin[] = ['predecessor_description', ...(variantSet.has(h) ? ['variant' as const] : []), ...(p ? [...p.origins].sort() : [])];
    first.push({ handle: h, origins, priority: 'named', prior: 1 });
  }
  const isNamed = new Set(first.map((c) => c.handle));
  for (const [h, p] of pointed) {
    if (known.has(h) || isNamed.has(h)) continue;
    const origins = [...(variantSet.has(h) ? ['variant' as const] : []), ...[...p.origins].sort()];
    if (fromSameNetwork(p, predecessorKey, predTags)) network.push({ handle: h, origins, priority: 'network', prior: 1, weight: p.from.size });
    else if (!variantSet.has(h)) others.push({ handle: h, origins, priority: 'pointed', prior: POINTED_PRIOR, weight: p.from.size });
  }
  network.sort((a, b) => b.weight - a.weight);
  const inNetwork = new Set(network.map((c) => c.handle));
  const out: OrderedCandidate[] = [...first, ...network.map(({ weight: _w, ...c }) => c)];
  for (const v of ranked) {
    const h = v.handle.toLowerCase();
    if (known.has(h) || inNetwork.has(h) || isNamed.has(h)) continue;
    const p = pointed.get(h);
    out.push({ handle: h, origins: ['variant', ...(p ? [...p.origins].sort() : [])], priority: 'variant', prior: v.prior });
  }
  others.sort((a, b) => b.weight - a.weight);
  return [...out, ...others.slice(0, MAX_POINTED_ELSEWHERE).map(({ weight: _w, ...c }) => c)];
}
