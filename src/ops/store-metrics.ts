import type { CommandFailedEvent, CommandSucceededEvent } from 'mongodb';
import type { StoreCommandEvents } from '../store/store';
import { recordStoreOperation } from './metrics';

/**
 * Store operation latency from the MongoDB driver's command monitoring (the client must be opened with
 * `monitorCommands: true`, as `openStore` does). Returns a function that stops it.
 */
export function instrumentStore(client: StoreCommandEvents): () => void {
  const ok = (e: CommandSucceededEvent): void => recordStoreOperation(e.commandName, e.duration, true);
  const failed = (e: CommandFailedEvent): void => recordStoreOperation(e.commandName, e.duration, false);
  client.on('commandSucceeded', ok);
  client.on('commandFailed', failed);
  return () => {
    client.off('commandSucceeded', ok);
    client.off('commandFailed', failed);
  };
}
