/** Options of {@link SeenSet}. */
export interface SeenSetInit {
  /**
   * Most entries kept; past it the oldest entries are forgotten first.
   * @defaultValue 10000
   */
  readonly capacity?: number;
  /**
   * Returns the current time in milliseconds, for tests.
   * @defaultValue `Date.now`
   */
  readonly now?: () => number;
}

/**
 * A bounded set of message ids, each remembered until it expires: how the gossip layer drops
 * replays. An entry only needs to live as long as its message would still be accepted (its
 * `iat` plus the maximum age); older messages are refused as too old anyway.
 *
 * The bound keeps memory flat under a flood. If more distinct messages than `capacity` arrive
 * within one maximum age, the oldest ids are forgotten early and a replay of one of them could
 * pass once; size it well above the expected traffic (the default holds 10 000 messages, about
 * 17 a second for 10 minutes).
 *
 * @example
 * ```ts
 * const seen = new SeenSet({ capacity: 10_000 });
 * if (!seen.add(`${iss}\u0000${jti}`, (iat + 600) * 1000)) return "replayed";
 * ```
 */
export class SeenSet {
  // Insertion order is the eviction order: a Map iterates in it.
  readonly #entries = new Map<string, number>();
  readonly #capacity: number;
  readonly #now: () => number;

  constructor(init: SeenSetInit = {}) {
    const capacity = init.capacity ?? 10_000;
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError("SeenSet capacity must be a positive integer");
    this.#capacity = capacity;
    this.#now = init.now ?? Date.now;
  }

  /** Number of ids remembered (expired ones may linger until the next {@link add}). */
  get size(): number {
    return this.#entries.size;
  }

  /** Tells whether an id is remembered and not expired. */
  has(id: string): boolean {
    const expires = this.#entries.get(id);
    return expires !== undefined && expires > this.#now();
  }

  /**
   * Remembers an id until `expiresAtMs` and tells whether it was new: false means the id was
   * already remembered (a replay), and nothing changes.
   */
  add(id: string, expiresAtMs: number): boolean {
    const now = this.#now();
    this.#purge(now);
    const expires = this.#entries.get(id);
    if (expires !== undefined && expires > now) return false;
    this.#entries.delete(id);
    this.#entries.set(id, expiresAtMs);
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    return true;
  }

  /** Forgets every id. */
  clear(): void {
    this.#entries.clear();
  }

  #purge(now: number): void {
    // Entries are roughly in expiry order (messages arrive roughly in the order they were
    // written), so dropping expired ones from the front keeps this O(1) amortised; an expired
    // entry stuck behind a newer one goes when the bound or a later purge reaches it.
    for (const [id, expires] of this.#entries) {
      if (expires > now) break;
      this.#entries.delete(id);
    }
  }
}
