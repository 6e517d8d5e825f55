import { EventEmitter, on } from "node:events";
import type { CatalogueEvent } from "./record-store.js";

/**
 * Fans catalogue events out to live watchers. Stores append each event to their log first,
 * then publish it here; a watcher replays the log up to the version it started from and
 * follows the feed after that, skipping what it has seen.
 */
export class CatalogueFeed {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  /** Announces an event to every watcher. */
  publish(event: CatalogueEvent): void {
    this.#emitter.emit("event", event);
  }

  /**
   * Replays `history(since)` and then follows live events until `signal` aborts. Live events
   * are buffered from the start, so that nothing written during the replay is missed.
   */
  async *watch(since: number, history: (since: number) => Promise<CatalogueEvent[]>, signal: AbortSignal): AsyncIterable<CatalogueEvent> {
    const live = on(this.#emitter, "event", { signal });
    let last = since;
    try {
      for (const e of await history(since)) {
        last = e.version;
        yield e;
      }
      for await (const [e] of live as AsyncIterable<[CatalogueEvent]>) {
        if (e.version <= last) continue;
        last = e.version;
        yield e;
      }
    } catch (err) {
      if (!signal.aborted) throw err;
    }
  }
}
