import { Dataset, PublicService, Record } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";
import type { Level } from "level";
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

type Bytes = Uint8Array;
/** Opens a sublevel with string keys and binary values. */
function openSublevel(db: Level<string, Bytes>, name: string) {
  return db.sublevel<string, Bytes>(name, { keyEncoding: "utf8", valueEncoding: "view" });
}
type Sub = ReturnType<typeof openSublevel>;
type Op = { type: "put"; sublevel: Sub; key: string; value: Bytes } | { type: "del"; sublevel: Sub; key: string };

const SEP = "\x00";
/** How much a record scan reads from LevelDB at once. */
const SCAN_BYTES = 8 * 1024 * 1024;
const pad = (n: number): string => n.toString().padStart(16, "0");
const enc = (v: unknown): Bytes => Buffer.from(JSON.stringify(v));
const dec = <T>(b: Bytes): T => JSON.parse(Buffer.from(b).toString("utf8")) as T;

/** How a record is kept: the document number, the content digest, and the encoded record. */
function packRecord(docno: number, hash: string, record: Record): Bytes {
  const body = Record.encode(record).finish();
  const h = Buffer.from(hash, "utf8");
  const out = Buffer.allocUnsafe(5 + h.length + body.length);
  out.writeUInt32LE(docno, 0);
  out.writeUInt8(h.length, 4);
  h.copy(out, 5);
  Buffer.from(body.buffer, body.byteOffset, body.length).copy(out, 5 + h.length);
  return out;
}

/** The encoded record inside a stored value, without copying. */
function packedBody(b: Bytes): Uint8Array {
  return b.subarray(5 + b[4]!);
}

function unpackRecord(b: Bytes): { docno: number; hash: string; record: Record } {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const docno = buf.readUInt32LE(0);
  const hl = buf.readUInt8(4);
  return { docno, hash: buf.toString("utf8", 5, 5 + hl), record: Record.decode(buf.subarray(5 + hl)) };
}

/**
 * The node's record store on LevelDB: records, document numbers, change logs, dataset
 * figures and the catalogue, each in a sublevel; every write is one atomic batch that also
 * carries the index update.
 *
 * @example
 * ```ts
 * const db = new Level<string, Uint8Array>(dir, { valueEncoding: "view" });
 * const store = new LevelRecordStore(db, { memberId: "sc-regional" });
 * await store.open();
 * await store.write("uspto", [{ type: "put", record }], index);
 * ```
 */
export class LevelRecordStore implements RecordStore {
  readonly #db: Level<string, Bytes>;
  readonly #memberId: string;
  readonly #rec: Sub;
  readonly #doc: Sub;
  readonly #byId: Sub;
  readonly #chg: Sub;
  readonly #chgId: Sub;
  readonly #ds: Sub;
  readonly #stats: Sub;
  readonly #svc: Sub;
  readonly #cat: Sub;
  readonly #meta: Sub;
  readonly #lock = new Mutex();
  readonly #feed = new CatalogueFeed();
  #nextDocno = 1;
  #catVersion = 0;
  readonly #seq = new Map<string, number>();
  /**
   * Every dataset with its figures, as `listDatasets` last read them: searches ask for the
   * caller's visible datasets on every call, and decoding each dataset's figures (a count per
   * publication date) would cost more than the search. Dropped after every write that
   * touches a dataset; `#datasetsGen` keeps a read that overlapped a write from storing what
   * it read.
   */
  #datasets: Map<string, Dataset> | undefined;
  #datasetsGen = 0;

  constructor(db: Level<string, Bytes>, init: { memberId: string }) {
    this.#db = db;
    this.#memberId = init.memberId;
    const sub = (name: string): Sub => openSublevel(db, name);
    this.#rec = sub("rec");
    this.#doc = sub("doc");
    this.#byId = sub("byid");
    this.#chg = sub("chg");
    this.#chgId = sub("chgid");
    this.#ds = sub("ds");
    this.#stats = sub("dss");
    this.#svc = sub("svc");
    this.#cat = sub("cat");
    this.#meta = sub("meta");
  }

  async open(): Promise<void> {
    if (this.#db.status !== "open") await this.#db.open();
    const next = await this.#meta.get("nextDocno");
    this.#nextDocno = next ? dec<number>(next) : 1;
    const cat = await this.#meta.get("catalogueVersion");
    this.#catVersion = cat ? dec<number>(cat) : 0;
  }

  async close(): Promise<void> {
    await this.#lock.run(async () => {
      if (this.#db.status === "open") await this.#db.close();
    });
  }

  async #lastSeq(datasetId: string): Promise<number> {
    const cached = this.#seq.get(datasetId);
    if (cached !== undefined) return cached;
    const v = await this.#meta.get(`seq${SEP}${datasetId}`);
    const seq = v ? dec<number>(v) : 0;
    this.#seq.set(datasetId, seq);
    return seq;
  }

  async #statsOf(datasetId: string): Promise<StatsState> {
    const v = await this.#stats.get(datasetId);
    return v ? dec<StatsState>(v) : emptyStats();
  }

  write(datasetId: string, writes: readonly RecordWrite[], index?: IndexPreparer): Promise<WriteOutcome[]> {
    return this.#lock.run(() => this.#write(datasetId, writes, index));
  }

  async #write(datasetId: string, writes: readonly RecordWrite[], index?: IndexPreparer): Promise<WriteOutcome[]> {
    const dataset = await this.#ds.get(datasetId);
    if (!dataset) throw new IpfedError("DATASET_NOT_FOUND", `no dataset "${datasetId}"`, { field: "dataset_id" });
    const now = new Date().toISOString();
    const stats = await this.#statsOf(datasetId);
    let seq = await this.#lastSeq(datasetId);
    let nextDocno = this.#nextDocno;
    const ops: Op[] = [];
    const outcomes: WriteOutcome[] = [];
    const adds: StoredRecord[] = [];
    const removes: number[] = [];
    // What the store holds for every id of the batch, read in two calls rather than two per
    // record; later writes in the same batch see earlier ones through `pending`.
    const ids = [...new Set(writes.map((w) => (w.type === "put" ? w.record.id : w.id)))];
    const keys = ids.map((id) => datasetId + SEP + id);
    const [storedValues, changeValues] = await Promise.all([this.#rec.getMany(keys), this.#chgId.getMany(keys)]);
    const stored = new Map(ids.map((id, i) => [id, storedValues[i]]));
    const lastChange = new Map(ids.map((id, i) => [id, changeValues[i] === undefined ? undefined : dec<number>(changeValues[i] as Bytes)]));
    const pending = new Map<string, { docno: number; hash: string; record: Record } | null>();
    const current = (id: string) => {
      if (pending.has(id)) return pending.get(id) ?? undefined;
      const v = stored.get(id);
      return v ? unpackRecord(v) : undefined;
    };
    const logChange = (type: "upsert" | "delete", id: string): void => {
      seq += 1;
      const prev = lastChange.get(id);
      // Only the latest change of a record is kept (also when it changes twice in one batch);
      // a harvester that missed the earlier ones gets the current state once. Deletions stay
      // as tombstones for ever.
      if (prev !== undefined) ops.push({ type: "del", sublevel: this.#chg, key: datasetId + SEP + pad(prev) });
      ops.push({ type: "put", sublevel: this.#chg, key: datasetId + SEP + pad(seq), value: enc({ type, id, time: now }) });
      ops.push({ type: "put", sublevel: this.#chgId, key: datasetId + SEP + id, value: enc(seq) });
      lastChange.set(id, seq);
    };
    for (const w of writes) {
      if (w.type === "put") {
        const id = w.record.id;
        const hash = contentHash(w.record);
        const old = current(id);
        if (old && old.hash === hash) {
          outcomes.push({ id, status: "unchanged" });
          continue;
        }
        const version = (old?.record.provenance?.version ?? 0) + 1;
        const record: Record = {
          ...w.record,
          datasetId,
          withheldFields: [],
          provenance: {
            memberId: this.#memberId,
            updatedTime: now,
            version,
            source: w.record.provenance?.source ?? "",
          },
        };
        const docno = nextDocno++;
        if (old) {
          countRecord(stats, old.record, -1);
          removes.push(old.docno);
          ops.push({ type: "del", sublevel: this.#doc, key: pad(old.docno) });
          const i = adds.findIndex((a) => a.docno === old.docno);
          if (i >= 0) adds.splice(i, 1);
        }
        countRecord(stats, record, 1);
        ops.push({ type: "put", sublevel: this.#rec, key: datasetId + SEP + id, value: packRecord(docno, hash, record) });
        ops.push({ type: "put", sublevel: this.#doc, key: pad(docno), value: Buffer.from(datasetId + SEP + id) });
        ops.push({ type: "put", sublevel: this.#byId, key: id + SEP + datasetId, value: new Uint8Array(0) });
        logChange("upsert", id);
        pending.set(id, { docno, hash, record });
        adds.push({ docno, record });
        outcomes.push({ id, status: old ? "updated" : "created" });
      } else {
        const old = current(w.id);
        if (!old) {
          outcomes.push({ id: w.id, status: "absent" });
          continue;
        }
        countRecord(stats, old.record, -1);
        removes.push(old.docno);
        const i = adds.findIndex((a) => a.docno === old.docno);
        if (i >= 0) adds.splice(i, 1);
        ops.push({ type: "del", sublevel: this.#rec, key: datasetId + SEP + w.id });
        ops.push({ type: "del", sublevel: this.#doc, key: pad(old.docno) });
        ops.push({ type: "del", sublevel: this.#byId, key: w.id + SEP + datasetId });
        logChange("delete", w.id);
        pending.set(w.id, null);
        outcomes.push({ id: w.id, status: "deleted" });
      }
    }
    if (ops.length === 0) return outcomes;
    stats.version += 1;
    stats.updatedTime = now;
    ops.push({ type: "put", sublevel: this.#stats, key: datasetId, value: enc(stats) });
    ops.push({ type: "put", sublevel: this.#meta, key: `seq${SEP}${datasetId}`, value: enc(seq) });
    ops.push({ type: "put", sublevel: this.#meta, key: "nextDocno", value: enc(nextDocno) });
    const event = await this.#catalogueOp(ops, now, { dataset: datasetWithStats(Dataset.decode(dataset), stats) });
    const update = index ? await index.prepare(adds, removes) : undefined;
    await this.#db.batch([...ops, ...((update?.ops ?? []) as Op[])] as never);
    this.#datasetsChanged();
    this.#nextDocno = nextDocno;
    this.#seq.set(datasetId, seq);
    update?.apply();
    this.#feed.publish(event);
    return outcomes;
  }

  /** Adds a catalogue-log entry to a batch and returns the event to publish once written. */
  async #catalogueOp(ops: Op[], time: string, entry: { dataset?: Dataset; service?: PublicService }, change: "upserted" | "removed" = "upserted"): Promise<CatalogueEvent> {
    const version = this.#catVersion + 1;
    const event: CatalogueEvent = { change, version, time, ...entry };
    ops.push({
      type: "put",
      sublevel: this.#cat,
      key: pad(version),
      value: enc({
        change,
        version,
        time,
        ...(entry.dataset ? { dataset: Dataset.toJSON(entry.dataset) } : {}),
        ...(entry.service ? { service: PublicService.toJSON(entry.service) } : {}),
      }),
    });
    ops.push({ type: "put", sublevel: this.#meta, key: "catalogueVersion", value: enc(version) });
    this.#catVersion = version;
    return event;
  }


  async get(datasetId: string, id: string): Promise<StoredRecord | undefined> {
    const v = await this.#rec.get(datasetId + SEP + id);
    if (!v) return undefined;
    const { docno, record } = unpackRecord(v);
    return { docno, record };
  }

  async locate(id: string): Promise<string[]> {
    const out: string[] = [];
    for await (const key of this.#byId.keys({ gt: id + SEP, lt: id + SEP + "\xff" })) out.push(key.slice(id.length + 1));
    return out;
  }

  async getByDocno(docno: number): Promise<StoredRecord | undefined> {
    const key = await this.#doc.get(pad(docno));
    if (!key) return undefined;
    const v = await this.#rec.get(Buffer.from(key).toString("utf8"));
    if (!v) return undefined;
    const r = unpackRecord(v);
    return r.docno === docno ? { docno, record: r.record } : undefined;
  }

  /** Records for many document numbers at once (search pages), in the order given. */
  async getManyByDocno(docnos: readonly number[]): Promise<(StoredRecord | undefined)[]> {
    const keys = await this.#doc.getMany(docnos.map(pad));
    const recKeys = keys.map((k) => (k ? Buffer.from(k).toString("utf8") : ""));
    const values = await this.#rec.getMany(recKeys.map((k) => k || "\x00missing"));
    return values.map((v, i) => {
      if (!v || !recKeys[i]) return undefined;
      const r = unpackRecord(v);
      return r.docno === docnos[i] ? { docno: r.docno, record: r.record } : undefined;
    });
  }

  async scan(datasetId: string, options: { after?: string; limit: number }): Promise<Record[]> {
    return (await this.#scanValues(datasetId, options)).map((v) => unpackRecord(v).record);
  }

  async scanEncoded(datasetId: string, options: { after?: string; limit: number }): Promise<Uint8Array[]> {
    return (await this.#scanValues(datasetId, options)).map(packedBody);
  }

  async #scanValues(datasetId: string, options: { after?: string; limit: number }): Promise<Bytes[]> {
    const gt = datasetId + SEP + (options.after ?? "");
    // A page is read from LevelDB in one go (its default stops every 16 KiB, a trip to the
    // thread pool each time).
    const range = { gt, lt: datasetId + SEP + "\xff", limit: options.limit, highWaterMarkBytes: SCAN_BYTES };
    return this.#rec.values(range).all();
  }

  async changes(datasetId: string, options: { after: number; limit: number }): Promise<ChangeEntry[]> {
    const out: ChangeEntry[] = [];
    for await (const [k, v] of this.#chg.iterator({ gt: datasetId + SEP + pad(options.after), lt: datasetId + SEP + "\xff", limit: options.limit })) {
      const e = dec<{ type: "upsert" | "delete"; id: string; time: string }>(v);
      out.push({ seq: Number(k.slice(datasetId.length + 1)), ...e });
    }
    return out;
  }

  lastChange(datasetId: string): Promise<number> {
    return this.#lastSeq(datasetId);
  }

  putDataset(dataset: Dataset): Promise<void> {
    return this.#lock.run(async () => {
      const stats = await this.#statsOf(dataset.id);
      stats.version += 1;
      stats.updatedTime = new Date().toISOString();
      const ops: Op[] = [
        { type: "put", sublevel: this.#ds, key: dataset.id, value: Dataset.encode({
            ...dataset,
            recordCount: 0,
            // Coverage is computed from the records, except the regions a publisher declares.
            coverage: { countries: [], dateFrom: "", dateTo: "", regions: dataset.coverage?.regions ?? [] },
          }).finish() },
        { type: "put", sublevel: this.#stats, key: dataset.id, value: enc(stats) },
      ];
      const stored = { ...dataset, coverage: dataset.coverage };
      const event = await this.#catalogueOp(ops, stats.updatedTime, { dataset: datasetWithStats(stored, stats) });
      await this.#db.batch(ops as never);
      this.#datasetsChanged();
      this.#feed.publish(event);
    });
  }

  async getDataset(id: string): Promise<Dataset | undefined> {
    const cached = this.#datasets;
    if (cached) {
      const d = cached.get(id);
      return d ? { ...d } : undefined;
    }
    const v = await this.#ds.get(id);
    if (!v) return undefined;
    return datasetWithStats(Dataset.decode(v), await this.#statsOf(id));
  }

  async listDatasets(): Promise<Dataset[]> {
    const cached = this.#datasets;
    if (cached) return [...cached.values()].map((d) => ({ ...d }));
    const gen = this.#datasetsGen;
    const out: Dataset[] = [];
    for await (const [id, v] of this.#ds.iterator()) out.push(datasetWithStats(Dataset.decode(v), await this.#statsOf(id)));
    if (gen === this.#datasetsGen) this.#datasets = new Map(out.map((d) => [d.id, { ...d }]));
    return out;
  }

  #datasetsChanged(): void {
    this.#datasetsGen++;
    this.#datasets = undefined;
  }

  async deleteDataset(id: string, index?: IndexPreparer): Promise<boolean> {
    if (!(await this.#ds.get(id))) return false;
    // Records go first, through the change log, so that harvesters see the deletions.
    for (;;) {
      const batch = await this.scan(id, { limit: 1000 });
      if (batch.length === 0) break;
      await this.write(id, batch.map((r) => ({ type: "delete" as const, id: r.id })), index);
    }
    await this.#lock.run(async () => {
      const ops: Op[] = [{ type: "del", sublevel: this.#ds, key: id }];
      const d = Dataset.fromPartial({ id });
      const event = await this.#catalogueOp(ops, new Date().toISOString(), { dataset: d }, "removed");
      await this.#db.batch(ops as never);
      this.#datasetsChanged();
      this.#feed.publish(event);
    });
    return true;
  }

  async datasetStats(id: string): Promise<DatasetStats | undefined> {
    if (!(await this.#ds.get(id))) return undefined;
    return toDatasetStats(await this.#statsOf(id));
  }

  putService(service: PublicService): Promise<void> {
    return this.#lock.run(async () => {
      const ops: Op[] = [{ type: "put", sublevel: this.#svc, key: service.id, value: PublicService.encode(service).finish() }];
      const event = await this.#catalogueOp(ops, new Date().toISOString(), { service });
      await this.#db.batch(ops as never);
      this.#feed.publish(event);
    });
  }

  async listServices(): Promise<PublicService[]> {
    const out: PublicService[] = [];
    for await (const v of this.#svc.values()) out.push(PublicService.decode(v));
    return out;
  }

  deleteService(id: string): Promise<boolean> {
    return this.#lock.run(async () => {
      const v = await this.#svc.get(id);
      if (!v) return false;
      const ops: Op[] = [{ type: "del", sublevel: this.#svc, key: id }];
      const event = await this.#catalogueOp(ops, new Date().toISOString(), { service: PublicService.decode(v) }, "removed");
      await this.#db.batch(ops as never);
      this.#feed.publish(event);
      return true;
    });
  }

  async catalogueVersion(): Promise<number> {
    return this.#catVersion;
  }

  watchCatalogue(sinceVersion: number, signal: AbortSignal): AsyncIterable<CatalogueEvent> {
    return this.#feed.watch(
      sinceVersion,
      async (since) => {
        const out: CatalogueEvent[] = [];
        for await (const v of this.#cat.values({ gt: pad(since) })) {
          const e = dec<{ change: "upserted" | "removed"; version: number; time: string; dataset?: unknown; service?: unknown }>(v);
          out.push({
            change: e.change,
            version: e.version,
            time: e.time,
            ...(e.dataset ? { dataset: Dataset.fromJSON(e.dataset) } : {}),
            ...(e.service ? { service: PublicService.fromJSON(e.service) } : {}),
          });
        }
        return out;
      },
      signal,
    );
  }
}
