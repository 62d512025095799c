import { EventEmitter } from 'node:events';

type Listener = (...args: never[]) => void;
type AnyListener = (...args: unknown[]) => void;

/** EventEmitter with a typed event map (BullMQ style: `on('completed', (job) => …)` checked by the compiler). */
export class TypedEmitter<Events extends { [K in keyof Events]: Listener }> {
  private readonly inner = new EventEmitter();
  on<K extends keyof Events & string>(event: K, listener: Events[K]): this {
    this.inner.on(event, listener as unknown as AnyListener);
    return this;
  }
  off<K extends keyof Events & string>(event: K, listener: Events[K]): this {
    this.inner.off(event, listener as unknown as AnyListener);
    return this;
  }
  once<K extends keyof Events & string>(event: K, listener: Events[K]): this {
    this.inner.once(event, listener as unknown as AnyListener);
    return this;
  }
  protected emit<K extends keyof Events & string>(event: K, ...args: Parameters<Events[K]>): void {
    this.inner.emit(event, ...args);
  }
}
