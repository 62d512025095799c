/** An alert stored for delivery (one per key and recipient), for logs and metrics. */
export interface AlertRaised {
  id: string;
  key: string;
  kind: string;
  to: string;
  sourceId: string;
}

type Listener = (e: AlertRaised) => void;
const listeners = new Set<Listener>();

/**
 * Alerts are raised deep inside the stages (crawl, media, discovery); the worker role listens here to log and count
 * them without threading a logger through every stage. Returns a function that stops listening.
 */
export function onAlertRaised(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitAlertRaised(e: AlertRaised): void {
  for (const l of listeners) l(e);
}
