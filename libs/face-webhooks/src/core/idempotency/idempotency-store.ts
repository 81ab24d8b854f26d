/**
 * What a claim found:
 * - `claimed`: nobody had this event; the caller now owns it and must `complete` or `release` it.
 * - `in-flight`: another delivery of the same event is being handled right now.
 * - `done`: the event was handled; this delivery is a duplicate.
 */
export type IdempotencyClaim = 'claimed' | 'in-flight' | 'done';

/**
 * Remembers which events were handled, so a re-delivered event does not run its handlers twice.
 * Provide your own implementation with `{ provide: FaceWebhookIdempotencyStore, useClass: ... }`
 * (the module's `idempotencyStore` option); the default is {@link MemoryIdempotencyStore}.
 *
 * Implementations must make `claim` atomic: of two concurrent claims of one key, one gets `claimed`.
 */
export abstract class FaceWebhookIdempotencyStore {
  /** Atomically takes `key` for `ttlMs` unless it is already in flight or done. */
  abstract claim(key: string, ttlMs: number): Promise<IdempotencyClaim>;
  /** Marks a claimed key as handled, remembered for `ttlMs`. */
  abstract complete(key: string, ttlMs: number): Promise<void>;
  /** Forgets a claimed key after its handling failed, so the provider's retry runs the handlers. */
  abstract release(key: string): Promise<void>;
}
