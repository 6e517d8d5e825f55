import { randomBytes } from "node:crypto";

/**
 * Remembers, for the cursors a member hands out, the ids already sent in that federated walk,
 * so that a record held by several members is sent once however deep the client pages. A
 * cursor carries only the last {@link MAX_SEEN} of them (it must stay small enough for a URL);
 * the whole set stays here, under a random handle the signed cursor names. Each cursor has its
 * own set, so going back to an earlier cursor gives the same page again. The oldest sets are
 * forgotten first once `maxEntries` ids are held; a cursor whose set is gone (or that another
 * process made) falls back to the ids it carries.
 *
 * @example
 * ```ts
 * const store = new SeenStore();
 * const handle = store.put(new Set(["a1b2c3d4"]));
 * store.get(handle)?.has("a1b2c3d4"); // true
 * ```
 */
export class SeenStore {
  readonly #sets = new Map<string, ReadonlySet<string>>();
  readonly #maxEntries: number;
  #entries = 0;

  /** @param maxEntries ids held across all sets before the oldest sets are dropped. */
  constructor(maxEntries = 500_000) {
    this.#maxEntries = maxEntries;
  }

  /** Keeps a set; returns its handle. */
  put(set: ReadonlySet<string>): string {
    const handle = randomBytes(12).toString("base64url");
    this.#sets.set(handle, set);
    this.#entries += set.size;
    for (const [h, s] of this.#sets) {
      if (this.#entries <= this.#maxEntries || h === handle) break;
      this.#sets.delete(h);
      this.#entries -= s.size;
    }
    return handle;
  }

  /** The set behind a handle, if still held. */
  get(handle: string): ReadonlySet<string> | undefined {
    return this.#sets.get(handle);
  }

  /** Ids held across all sets. */
  get entries(): number {
    return this.#entries;
  }
}
