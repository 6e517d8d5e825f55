import type { Facet, Record } from "@ipfed/proto";
import { clearanceTier, IpfedError } from "@ipfed/sdk";
import type { DataSource, PublishItem, PublishOutcome, SourceChange, SourceSearchRequest, SourceSearchResult } from "@ipfed/sdk";
import type { FacetName, SearchAfter, SearchIndex } from "./search/search-index.js";
import type { RecordStore } from "./store/record-store.js";

/**
 * The reference node's data, served through the SDK's server kit: a {@link RecordStore}
 * and its {@link SearchIndex} presented as a {@link DataSource}.
 */
export class StoreDataSource implements DataSource {
  readonly #store: RecordStore;
  readonly #index: SearchIndex;

  readonly #delayMs: number;

  constructor(store: RecordStore, index: SearchIndex, options: { searchDelayMs?: number } = {}) {
    this.#store = store;
    this.#index = index;
    this.#delayMs = options.searchDelayMs ?? 0;
  }

  listDatasets() {
    return this.#store.listDatasets();
  }

  getDataset(id: string) {
    return this.#store.getDataset(id);
  }

  listServices() {
    return this.#store.listServices();
  }

  watchCatalogue(sinceVersion: number, signal: AbortSignal) {
    return this.#store.watchCatalogue(sinceVersion, signal);
  }

  async search(req: SourceSearchRequest): Promise<SourceSearchResult> {
    if (this.#delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#delayMs));
    let after: SearchAfter | undefined;
    if (req.after) {
      const [score, docno] = req.after.split(":").map(Number);
      if (!Number.isFinite(score) || !Number.isInteger(docno)) throw new IpfedError("CURSOR_INVALID", "cursor is damaged", { field: "cursor" });
      after = { score: score!, docno: docno! };
    }
    const result = await this.#index.search(req.query, {
      ...(req.datasets.length ? { datasets: req.datasets } : {}),
      limit: req.pageSize,
      ...(after ? { after } : {}),
      facets: req.facets as FacetName[],
      facetSize: req.facetSize,
      fields: req.fields,
      // Records above the caller's tier never match, so they are not counted either; an unset
      // or unknown caller tier is no clearance (0), under which nothing matches.
      maxTier: clearanceTier(req.caller.tier),
    });
    const stored = await this.#store.getManyByDocno(result.hits.map((h) => h.docno));
    const hits: { record: Record; score: number }[] = [];
    result.hits.forEach((h, i) => {
      const s = stored[i];
      if (s) hits.push({ record: s.record, score: h.score });
    });
    const lastHit = result.hits[result.hits.length - 1];
    const facets: Facet[] = result.facets.map((f) => ({ name: f.name, buckets: f.buckets.map((b) => ({ value: b.value, count: b.count })), suppressed: 0 }));
    return {
      total: result.total,
      hits,
      facets,
      // The score is written exactly (shortest round-trip form), so the next page resumes at the same place.
      ...(lastHit && result.hits.length === req.pageSize ? { next: `${lastHit.score}:${lastHit.docno}` } : {}),
    };
  }

  async getRecord(id: string, datasetId?: string) {
    const datasets = await this.#store.locate(id);
    const from = datasetId ? (datasets.includes(datasetId) ? datasetId : undefined) : datasets[0];
    if (!from) return undefined;
    const stored = await this.#store.get(from, id);
    return stored ? { record: stored.record, datasets } : undefined;
  }

  scan(datasetId: string, after: string | undefined, limit: number) {
    return this.#store.scan(datasetId, { ...(after !== undefined ? { after } : {}), limit });
  }

  scanEncoded(datasetId: string, after: string | undefined, limit: number) {
    return this.#store.scanEncoded(datasetId, { ...(after !== undefined ? { after } : {}), limit });
  }

  async changes(datasetId: string, after: number, limit: number): Promise<SourceChange[]> {
    const entries = await this.#store.changes(datasetId, { after, limit });
    const out: SourceChange[] = [];
    for (const e of entries) {
      if (e.type === "delete") out.push({ type: "delete", id: e.id, sequence: e.seq, time: e.time });
      else {
        const r = await this.#store.get(datasetId, e.id);
        // An upsert entry always names a live record: a later delete replaces the entry.
        if (r) out.push({ type: "upsert", id: e.id, record: r.record, sequence: e.seq, time: e.time });
      }
    }
    return out;
  }

  async publish(datasetId: string, items: readonly PublishItem[]): Promise<PublishOutcome[]> {
    return this.#store.write(
      datasetId,
      items.map((it) => ("record" in it ? { type: "put" as const, record: it.record } : { type: "delete" as const, id: it.deleteId })),
      this.#index,
    );
  }
}
