import { Dataset, PublicService } from "@ipfed/proto";
import { Record } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";
import { CatalogueFeed } from "./catalogue-feed.js";
import { contentHash } from "./record-hash.js";
import type {
  CatalogueEvent,
  ChangeEntry,
  DatasetStats,
  IndexPreparer,
  RecordStore,
  RecordWrite,
  StoredRecord,
  WriteOutcome,
} from "./record-store.js";
import { countRecord, datasetWithStats, emptyStats, toDatasetStats } from "./stats.js";
import type { StatsState } from "./stats.js";
import { Mutex } from "./mutex.js";

interface Held {
  docno: number;
  hash: string;
  record: Record;
}

/**
 * A record store held in memory: the reference implementation of {@link RecordStore}, for
 * tests and for embedding. Nothing survives `close()`.
 *
 * @example
 * ```ts
 * const store = new MemoryRecordStore({ memberId: "test" });
 * await store.open();
 * ```
 */
export class MemoryRecordStore implements RecordStore {
  readonly #memberId: string;
  readonly #records = new Map<string, Map<string, Held>>();
  readonly #byDocno = new Map<number, { datasetId: string; id: string }>();
  readonly #changes = new Map<string, ChangeEntry[]>();
  readonly #seq = new Map<string, number>();
  readonly #datasets = new Map<string, Dataset>();
  readonly #stats = new Map<string, StatsState>();
  readonly #services = new Map<string, PublicService>();
  readonly #catalogue: CatalogueEvent[] = [];
  readonly #feed = new CatalogueFeed();
  readonly #lock = new Mutex();
  #nextDocno = 1;

  constructor(init: { memberId: string }) {
    this.#memberId = init.memberId;
  }

  async open(): Promise<void> {}

  async close(): Promise<void> {}

  write(datasetId: string, writes: readonly RecordWrite[], index?: IndexPreparer): Promise<WriteOutcome[]> {
    return this.#lock.run(async () => {
      if (!this.#datasets.has(datasetId)) throw new IpfedError("DATASET_NOT_FOUND", `no dataset "${datasetId}"`, { field: "dataset_id" });
      const now = new Date().toISOString();
      const recs = new Map(this.#records.get(datasetId) ?? []);
      const stats = structuredClone(this.#stats.get(datasetId) ?? emptyStats());
      const log = [...(this.#changes.get(datasetId) ?? [])];
      let seq = this.#seq.get(datasetId) ?? 0;
      let nextDocno = this.#nextDocno;
      const outcomes: WriteOutcome[] = [];
      const adds: StoredRecord[] = [];
      const removes: number[] = [];
      const docnoChanges: [number, { datasetId: string; id: string } | null][] = [];
      const logChange = (type: "upsert" | "delete", id: string): void => {
        const i = log.findIndex((e) => e.id === id);
        if (i >= 0) log.splice(i, 1);
        log.push({ seq: ++seq, type, id, time: now });
      };
      for (const w of writes) {
        if (w.type === "put") {
          const id = w.record.id;
          const hash = contentHash(w.record);
          const old = recs.get(id);
          if (old && old.hash === hash) {
            outcomes.push({ id, status: "unchanged" });
            continue;
          }
          const record: Record = {
            ...w.record,
            datasetId,
            withheldFields: [],
            provenance: { memberId: this.#memberId, updatedTime: now, version: (old?.record.provenance?.version ?? 0) + 1, source: w.record.provenance?.source ?? "" },
          };
          const docno = nextDocno++;
          if (old) {
            countRecord(stats, old.record, -1);
            removes.push(old.docno);
            docnoChanges.push([old.docno, null]);
            const i = adds.findIndex((a) => a.docno === old.docno);
            if (i >= 0) adds.splice(i, 1);
          }
          countRecord(stats, record, 1);
          recs.set(id, { docno, hash, record });
          docnoChanges.push([docno, { datasetId, id }]);
          adds.push({ docno, record });
          logChange("upsert", id);
          outcomes.push({ id, status: old ? "updated" : "created" });
        } else {
          const old = recs.get(w.id);
          if (!old) {
            outcomes.push({ id: w.id, status: "absent" });
            continue;
          }
          countRecord(stats, old.record, -1);
          removes.push(old.docno);
          docnoChanges.push([old.docno, null]);
          const i = adds.findIndex((a) => a.docno === old.docno);
          if (i >= 0) adds.splice(i, 1);
          recs.delete(w.id);
          logChange("delete", w.id);
          outcomes.push({ id: w.id, status: "deleted" });
        }
      }
      if (outcomes.every((o) => o.status === "unchanged" || o.status === "absent")) return outcomes;
      stats.version += 1;
      stats.updatedTime = now;
      const update = index ? await index.prepare(adds, removes) : undefined;
      // Everything is computed first and swapped in at once: a failure above changes nothing.
      this.#records.set(datasetId, recs);
      this.#stats.set(datasetId, stats);
      this.#changes.set(datasetId, log);
      this.#seq.set(datasetId, seq);
      this.#nextDocno = nextDocno;
      for (const [docno, where] of docnoChanges) {
        if (where) this.#byDocno.set(docno, where);
        else this.#byDocno.delete(docno);
      }
      update?.apply();
      this.#emit("upserted", now, { dataset: datasetWithStats(this.#datasets.get(datasetId)!, stats) });
      return outcomes;
    });
  }

  #emit(change: "upserted" | "removed", time: string, entry: { dataset?: Dataset; service?: PublicService }): void {
    const e: CatalogueEvent = { change, version: this.#catalogue.length + 1, time, ...entry };
    this.#catalogue.push(e);
    this.#feed.publish(e);
  }


  async get(datasetId: string, id: string): Promise<StoredRecord | undefined> {
    const h = this.#records.get(datasetId)?.get(id);
    return h ? { docno: h.docno, record: h.record } : undefined;
  }

  async locate(id: string): Promise<string[]> {
    return [...this.#records.entries()].filter(([, m]) => m.has(id)).map(([ds]) => ds).sort();
  }

  async getByDocno(docno: number): Promise<StoredRecord | undefined> {
    const where = this.#byDocno.get(docno);
    return where ? this.get(where.datasetId, where.id) : undefined;
  }

  async getManyByDocno(docnos: readonly number[]): Promise<(StoredRecord | undefined)[]> {
    return Promise.all(docnos.map((d) => this.getByDocno(d)));
  }

  async scanEncoded(datasetId: string, options: { after?: string; limit: number }): Promise<Uint8Array[]> {
    return (await this.scan(datasetId, options)).map((r) => Record.encode(r).finish());
  }

  async scan(datasetId: string, options: { after?: string; limit: number }): Promise<Record[]> {
    const recs = this.#records.get(datasetId);
    if (!recs) return [];
    const after = options.after;
    return [...recs.keys()]
      .filter((id) => after === undefined || id > after)
      .sort()
      .slice(0, options.limit)
      .map((id) => recs.get(id)!.record);
  }

  async changes(datasetId: string, options: { after: number; limit: number }): Promise<ChangeEntry[]> {
    return (this.#changes.get(datasetId) ?? []).filter((e) => e.seq > options.after).slice(0, options.limit);
  }

  async lastChange(datasetId: string): Promise<number> {
    return this.#seq.get(datasetId) ?? 0;
  }

  putDataset(dataset: Dataset): Promise<void> {
    return this.#lock.run(async () => {
      const stats = this.#stats.get(dataset.id) ?? emptyStats();
      stats.version += 1;
      stats.updatedTime = new Date().toISOString();
      this.#stats.set(dataset.id, stats);
      this.#datasets.set(dataset.id, Dataset.fromPartial({ ...dataset, recordCount: 0 }));
      this.#emit("upserted", stats.updatedTime, { dataset: datasetWithStats(this.#datasets.get(dataset.id)!, stats) });
    });
  }

  async getDataset(id: string): Promise<Dataset | undefined> {
    const d = this.#datasets.get(id);
    return d ? datasetWithStats(d, this.#stats.get(id) ?? emptyStats()) : undefined;
  }

  async listDatasets(): Promise<Dataset[]> {
    return [...this.#datasets.keys()].sort().map((id) => datasetWithStats(this.#datasets.get(id)!, this.#stats.get(id) ?? emptyStats()));
  }

  async deleteDataset(id: string, index?: IndexPreparer): Promise<boolean> {
    if (!this.#datasets.has(id)) return false;
    const ids = [...(this.#records.get(id)?.keys() ?? [])];
    if (ids.length) await this.write(id, ids.map((x) => ({ type: "delete" as const, id: x })), index);
    await this.#lock.run(async () => {
      this.#datasets.delete(id);
      this.#records.delete(id);
      this.#emit("removed", new Date().toISOString(), { dataset: Dataset.fromPartial({ id }) });
    });
    return true;
  }

  async datasetStats(id: string): Promise<DatasetStats | undefined> {
    return this.#datasets.has(id) ? toDatasetStats(this.#stats.get(id) ?? emptyStats()) : undefined;
  }

  putService(service: PublicService): Promise<void> {
    return this.#lock.run(async () => {
      this.#services.set(service.id, service);
      this.#emit("upserted", new Date().toISOString(), { service });
    });
  }

  async listServices(): Promise<PublicService[]> {
    return [...this.#services.keys()].sort().map((k) => this.#services.get(k)!);
  }

  deleteService(id: string): Promise<boolean> {
    return this.#lock.run(async () => {
      const s = this.#services.get(id);
      if (!s) return false;
      this.#services.delete(id);
      this.#emit("removed", new Date().toISOString(), { service: s });
      return true;
    });
  }

  async catalogueVersion(): Promise<number> {
    return this.#catalogue.length;
  }

  watchCatalogue(sinceVersion: number, signal: AbortSignal): AsyncIterable<CatalogueEvent> {
    return this.#feed.watch(sinceVersion, async (since) => this.#catalogue.filter((e) => e.version > since), signal);
  }
}
