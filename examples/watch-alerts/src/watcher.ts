// A saved-query watcher: an SME's risk warning for new IP in its field. It follows a member's
// catalogue (WatchCatalogue); when a dataset's version moves, it harvests the changes since
// its last position (Harvest), asks the member which of the new or updated records match the
// saved query (Search restricted to their ids), and raises one alert per match. Its position
// per member and dataset is kept in a cursor file, written only after the alerts it covers,
// so that a restart neither repeats an alert nor misses a change.

import { mkdir, rename, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { CatalogueChange } from "@ipfed/proto";
import type { Dataset } from "@ipfed/proto";
import { createClient, IpfedError, parseQuery } from "@ipfed/sdk";
import type { IpfedClient } from "@ipfed/sdk";

/**
 * One record that newly matches the saved query.
 *
 * @example
 * ```ts
 * const onAlert = (a: Alert) => console.log(`${a.recordId} ${a.title} (${a.memberId}/${a.datasetId} #${a.sequence})`);
 * ```
 */
export interface Alert {
  /** The member that publishes it and its dataset. */
  readonly memberId: string;
  readonly datasetId: string;
  /** Position of the change in the dataset's change log. */
  readonly sequence: number;
  readonly recordId: string;
  readonly title: string;
}

/**
 * Options of {@link Watcher}.
 *
 * @example
 * ```ts
 * const options: WatcherOptions = { endpoint: "127.0.0.1:7400", token, query: "ti:电池 AND ipc:H01M", cursorFile: "cursors.json", onAlert: console.log };
 * ```
 */
export interface WatcherOptions {
  /** The member's gRPC address. */
  readonly endpoint: string;
  /** A token with the scopes `search read export` (WatchCatalogue, Search, Harvest). */
  readonly token: string;
  /** The saved query, in the ipfed query language. */
  readonly query: string;
  /** Where the watcher keeps its position (JSON); created on first use. */
  readonly cursorFile: string;
  /** Called once per matching record, in change-log order. */
  readonly onAlert: (alert: Alert) => void;
  /** Told what the watcher does (first start, catching up). @defaultValue silent */
  readonly log?: (line: string) => void;
}

/** The cursor file: per `member/dataset`, the harvest cursor after the last change handled. */
type Positions = { [memberAndDataset: string]: { cursor: string; datasetVersion: number } };

/** Ids per Search call; far below the query language's clause limit. */
const IDS_PER_QUERY = 100;

/**
 * Watches one member for records matching a saved query. `start()` resolves once the
 * catalogue stream is open; `stop()` ends it and waits for the change being handled.
 *
 * @example
 * ```ts
 * const watcher = new Watcher({ endpoint, token, query: "ti:电池 AND ipc:H01M", cursorFile: "cursors.json", onAlert: console.log });
 * await watcher.start();
 * ```
 */
export class Watcher {
  readonly #options: WatcherOptions;
  readonly #client: IpfedClient;
  readonly #abort = new AbortController();
  #positions: Positions = {};
  /** Per dataset: the newest version seen in the catalogue, and the newest one fully handled. */
  readonly #seen = new Map<string, Dataset>();
  readonly #handled = new Map<string, number>();
  readonly #syncing = new Map<string, Promise<void>>();
  readonly #waiters: { datasetId: string; version: number; resolve: () => void }[] = [];
  #following: Promise<void> | undefined;
  #failure: unknown;

  constructor(options: WatcherOptions) {
    // A mistake in the saved query is reported now, with its position, not at the first change.
    parseQuery(options.query);
    this.#options = options;
    this.#client = createClient({ endpoint: options.endpoint, token: options.token });
  }

  /**
   * Loads the saved positions and starts following the member's catalogue.
   *
   * @example
   * ```ts
   * await watcher.start();
   * ```
   */
  async start(): Promise<void> {
    this.#positions = await readPositions(this.#options.cursorFile);
    this.#following = this.#follow().catch((err: unknown) => {
      if (!this.#abort.signal.aborted) this.#fail(err);
      if (this.#failure !== undefined) throw this.#failure;
    });
    // Whoever cares about a failure awaits `finished` or `handled`; nothing else must see it.
    this.#following.catch(() => undefined);
  }

  /**
   * Settles when the watcher stops: resolves after `stop()`, rejects with the error that ended
   * it (the member went away, say).
   *
   * @example
   * ```ts
   * await Promise.race([ctrlC, watcher.finished]);
   * ```
   */
  get finished(): Promise<void> {
    return this.#following ?? Promise.resolve();
  }

  /**
   * Resolves once every change up to `version` of the dataset has been handled (alerts raised,
   * position saved). Rejects if the watcher failed meanwhile.
   *
   * @example
   * ```ts
   * await watcher.handled("cn-patents", (await client.catalogue.get("cn-patents")).version);
   * ```
   */
  async handled(datasetId: string, version: number): Promise<void> {
    if ((this.#handled.get(datasetId) ?? -1) < version && this.#failure === undefined) {
      await new Promise<void>((resolve) => this.#waiters.push({ datasetId, version, resolve }));
    }
    if (this.#failure !== undefined) throw this.#failure;
  }

  /**
   * Stops following and closes the connection; a change being handled is finished first.
   * Never throws.
   *
   * @example
   * ```ts
   * await watcher.stop();
   * ```
   */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#following?.catch(() => undefined);
    await Promise.all(this.#syncing.values());
    this.#client.close();
  }

  #fail(err: unknown): void {
    this.#failure ??= err;
    this.#abort.abort();
    for (const w of this.#waiters.splice(0)) w.resolve();
  }

  async #follow(): Promise<void> {
    // From version 0 the member sends its current catalogue first, then every change: so a
    // restarted watcher also catches up on what was published while it was away.
    for await (const change of this.#client.catalogue.watch({ sinceVersion: 0 }, { signal: this.#abort.signal })) {
      if (change.entry?.$case !== "dataset" || change.change !== CatalogueChange.CATALOGUE_CHANGE_UPSERTED) continue;
      this.#seen.set(change.entry.value.id, change.entry.value);
      this.#schedule(change.entry.value.id);
    }
    if (!this.#abort.signal.aborted) throw new IpfedError("UNAVAILABLE", `${this.#options.endpoint} ended the catalogue stream`);
  }

  /** Runs one sync of the dataset at a time; versions that arrive meanwhile are covered by the next. */
  #schedule(datasetId: string): void {
    if (this.#syncing.has(datasetId)) return;
    const run = async (): Promise<void> => {
      try {
        for (;;) {
          const dataset = this.#seen.get(datasetId)!;
          if ((this.#handled.get(datasetId) ?? -1) >= dataset.version) return;
          await this.#sync(dataset);
          this.#handled.set(datasetId, dataset.version);
          for (const w of this.#waiters.filter((x) => x.datasetId === datasetId && x.version <= dataset.version)) {
            this.#waiters.splice(this.#waiters.indexOf(w), 1);
            w.resolve();
          }
        }
      } catch (err) {
        if (!this.#abort.signal.aborted) this.#fail(err);
      } finally {
        this.#syncing.delete(datasetId);
      }
    };
    // Started on the next tick, so that it is registered before it can finish.
    this.#syncing.set(datasetId, Promise.resolve().then(run));
  }

  /** Harvests the dataset's changes since the saved position, raises the alerts, saves the new position. */
  async #sync(dataset: Dataset): Promise<void> {
    const key = `${dataset.publisher}/${dataset.id}`;
    const saved = this.#positions[key];
    const changes = this.#client.harvestAll({ datasetId: dataset.id, ...(saved ? { cursor: saved.cursor } : {}) });
    const upserts = new Map<string, { sequence: number; title: string }>();
    let count = 0;
    for await (const change of changes) {
      count++;
      // The latest change of a record wins; a deletion ends its interest.
      upserts.delete(change.recordId);
      if (change.record) upserts.set(change.recordId, { sequence: change.sequence, title: titleOf(change.record.titles) });
    }
    if (!saved) {
      // First start: what the dataset already holds is the baseline, not news.
      this.#options.log?.(`${key}: first start, ${count} earlier changes taken as the baseline`);
    } else if (upserts.size > 0) {
      for (const id of await this.#matching(dataset.id, [...upserts.keys()])) {
        const { sequence, title } = upserts.get(id)!;
        this.#options.onAlert({ memberId: dataset.publisher, datasetId: dataset.id, sequence, recordId: id, title });
      }
    }
    this.#positions[key] = { cursor: changes.cursor, datasetVersion: dataset.version };
    await writePositions(this.#options.cursorFile, this.#positions);
  }

  /** The ids, of those given, that match the saved query, in the order given. */
  async #matching(datasetId: string, ids: string[]): Promise<string[]> {
    const matched = new Set<string>();
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const chunk = ids.slice(i, i + IDS_PER_QUERY);
      const query = `(${this.#options.query}) AND (${chunk.map((id) => `id:${id}`).join(" OR ")})`;
      const { hits } = await this.#client.searchAll({ query, datasets: [datasetId], pageSize: chunk.length });
      for (const h of hits) if (h.record) matched.add(h.record.id);
    }
    return ids.filter((id) => matched.has(id));
  }
}

function titleOf(titles: readonly { lang: string; text: string }[]): string {
  return titles.find((t) => t.lang === "zh")?.text ?? titles[0]?.text ?? "";
}

async function readPositions(file: string): Promise<Positions> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as Positions;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new IpfedError("INVALID_ARGUMENT", `cannot read the watcher's cursor file ${file}: ${(err as Error).message}`, { field: "cursorFile", cause: err });
  }
}

/** Replaces the file in one step, so that a crash leaves the old position or the new one. */
async function writePositions(file: string, positions: Positions): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(positions, null, 2) + "\n");
  await rename(`${file}.tmp`, file);
}
