/** Pure scheduling arithmetic: jitter per tick and the start-up spread, so restarts don't stampede. */

export function jitterDelayMs(jitterSeconds: number, random: () => number = Math.random): number {
  return Math.round(random() * jitterSeconds * 1000);
}

/**
 * Start-up checks for n sources spread evenly over the window, in a shuffled order (each source lands in its own
 * slot plus a little jitter), so a restart with 500 sources does not fire 500 requests at once.
 */
export function startupDelaysMs(sourceIds: readonly string[], windowSeconds: number, random: () => number = Math.random): Map<string, number> {
  const ids = [...sourceIds];
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
  }
  const slot = ids.length > 0 ? (windowSeconds * 1000) / ids.length : 0;
  const out = new Map<string, number>();
  ids.forEach((id, i) => out.set(id, Math.round(i * slot + random() * slot)));
  return out;
}
