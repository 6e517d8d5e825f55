/**
 * A least-recently-used cache bounded by the bytes its values hold (as the caller counts them),
 * for decoded postings: segments are immutable, so an entry never goes stale, it only ages out.
 */
export class LruCache<V> {
  // A Map iterates in insertion order, so re-inserting on use keeps the oldest entry first.
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private used = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes held. */
  get bytes(): number {
    return this.used;
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** Returns a value and marks it recently used. */
  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  /** Adds or replaces a value; values larger than the whole cache are not kept. */
  set(key: string, value: V, bytes: number): void {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.used -= old.bytes;
      this.entries.delete(key);
    }
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.used += bytes;
    this.evict();
  }

  /** Drops the entries whose key satisfies `test`. */
  deleteWhere(test: (key: string) => boolean): void {
    for (const [key, e] of this.entries) {
      if (!test(key)) continue;
      this.entries.delete(key);
      this.used -= e.bytes;
    }
  }

  /** Drops everything. */
  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  private evict(): void {
    while (this.used > this.maxBytes) {
      const first = this.entries.entries().next();
      if (first.done === true) return;
      const [key, e] = first.value;
      this.entries.delete(key);
      this.used -= e.bytes;
    }
  }
}
