import type { Change, HarvestResponse } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { withCallerStack } from "./caller-stack.js";
import type { CallSite } from "./caller-stack.js";

/**
 * The changes of a dataset, page after page until the member has no more, as one async
 * iterable; `cursor` is where the next harvest starts. Iterate it once.
 *
 * @example
 * ```ts
 * const changes = client.harvestAll({ datasetId: "cn", cursor: saved });
 * for await (const change of changes) apply(change);
 * saved = changes.cursor;
 * ```
 */
export class HarvestStream implements AsyncIterable<Change> {
  readonly #fetch: (cursor: string) => Promise<HarvestResponse>;
  #cursor: string;
  readonly #site: CallSite;
  #started = false;

  /**
   * `fetch` reads one page after a cursor; `cursor` is where the first page starts; `site` is
   * where the caller asked for the changes.
   */
  constructor(fetch: (cursor: string) => Promise<HarvestResponse>, cursor: string, site?: CallSite) {
    this.#fetch = fetch;
    this.#cursor = cursor;
    this.#site = site;
  }

  /**
   * The cursor after the last page read in full: after the loop, the cursor of the next
   * harvest. When the loop stops inside a page, that page's changes come again from it.
   */
  get cursor(): string {
    return this.#cursor;
  }

  /** Yields every change, page after page, until the end of the log; iterate once. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Change, void, undefined> {
    if (this.#started) throw withCallerStack(new IpfedError("FAILED_PRECONDITION", "a HarvestStream is iterated once; call harvestAll again"), this.#site);
    this.#started = true;
    for (;;) {
      const before = this.#cursor;
      const page = await this.#fetch(before);
      yield* page.changes;
      // A member that answers without a cursor has nothing to resume from; keep the old one.
      if (page.nextCursor) this.#cursor = page.nextCursor;
      if (!page.hasMore) return;
      if (!page.nextCursor || (page.nextCursor === before && page.changes.length === 0)) {
        throw withCallerStack(new IpfedError("INTERNAL", "Harvest reported more changes but gave no cursor that moves on"), this.#site);
      }
    }
  }
}
