import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { MemberHealth } from "@ipfed/proto";
import { Counter, Gauge } from "prom-client";
import type { Registry } from "prom-client";
import type { AuditLog } from "../audit/audit-log.js";
import type { NodeConfig } from "../config/node-config.js";
import { MemberRegistry } from "../federation/member-registry.js";
import { STORE_DIR } from "../store/node-store.js";
import type { NodeStore } from "../store/node-store.js";
import { IMPORT_OUTCOMES, readImportCounts } from "./import-counts.js";
import type { ImportCounts } from "./import-counts.js";

/** What the scrape-time figures are read from: the running node's parts. */
export interface StateSources {
  /** The node's data directory. */
  readonly dir: string;
  readonly config: NodeConfig;
  readonly store: NodeStore;
  readonly audit: AuditLog;
}

const HEALTH_LABELS: { readonly [h: number]: string } = {
  [MemberHealth.MEMBER_HEALTH_UP]: "up",
  [MemberHealth.MEMBER_HEALTH_DEGRADED]: "degraded",
  [MemberHealth.MEMBER_HEALTH_DOWN]: "down",
};

/** Bytes of the files in a directory and below; 0 when it does not exist. */
async function diskBytes(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += await diskBytes(p);
    // A LevelDB file may be compacted away between the listing and the stat.
    else total += await stat(p).then((s) => s.size, () => 0);
  }
  return total;
}

/**
 * The node's state as Prometheus series, computed at every scrape from the store, the index,
 * the audit log, the hub's registry and the import totals — never kept in step by hand, so
 * they cannot drift. Nothing is reported while the node is stopped.
 *
 * @example
 * ```ts
 * const state = new StateMetrics(registry);
 * state.attach({ dir, config, store, audit });
 * ```
 */
export class StateMetrics {
  #sources: StateSources | undefined;
  #hubRegistry: MemberRegistry | undefined;

  constructor(registry: Registry) {
    const registers = [registry];
    const self = this;
    new Gauge({
      name: "ipfed_records",
      help: "Records held, by dataset.",
      labelNames: ["dataset"] as const,
      registers,
      async collect() {
        this.reset();
        const s = self.#sources;
        if (!s) return;
        for (const d of await s.store.store.listDatasets()) this.set({ dataset: d.id }, d.recordCount);
      },
    });
    new Gauge({
      name: "ipfed_index_documents",
      help: "Documents in the search index (every record of every dataset).",
      registers,
      collect() {
        this.reset();
        const s = self.#sources;
        if (s) this.set(s.store.index.docCount());
      },
    });
    new Gauge({
      name: "ipfed_index_segments",
      help: "Segments of the search index (merged in the background).",
      registers,
      collect() {
        this.reset();
        const s = self.#sources;
        if (s) this.set(s.store.index.segmentCount());
      },
    });
    new Gauge({
      name: "ipfed_store_size_bytes",
      help: "Bytes on disk of the LevelDB store (records, index, change logs, catalogue, registry).",
      registers,
      async collect() {
        this.reset();
        const s = self.#sources;
        if (s) this.set(await diskBytes(join(s.dir, STORE_DIR)));
      },
    });
    new Counter({
      name: "ipfed_audit_entries_total",
      help: "Entries written to the audit log since it was created (its last sequence number, less entries still queued).",
      registers,
      collect() {
        this.reset();
        const s = self.#sources;
        if (s) this.inc(Math.max(0, s.audit.lastSeq - s.audit.pending));
      },
    });
    new Gauge({
      name: "ipfed_audit_pending_entries",
      help: "Audit entries queued but not yet written (above a batch only while writes fail).",
      registers,
      collect() {
        this.reset();
        const s = self.#sources;
        if (s) this.set(s.audit.pending);
      },
    });
    new Gauge({
      name: "ipfed_hub_members",
      help: "Admitted members by health as the hub judges it from heartbeats (up, degraded, down, unknown); hubs only.",
      labelNames: ["health"] as const,
      registers,
      async collect() {
        this.reset();
        const registry = self.#hubRegistry;
        if (!registry) return;
        const counts: { [health: string]: number } = { up: 0, degraded: 0, down: 0, unknown: 0 };
        for (const r of await registry.list({ states: ["admitted"] })) {
          const label = HEALTH_LABELS[registry.view(r).health] ?? "unknown";
          counts[label] = (counts[label] ?? 0) + 1;
        }
        for (const [health, n] of Object.entries(counts)) this.set({ health }, n);
      },
    });
    // The three import series collect in parallel in one scrape: they share one read of the store.
    let imports: Promise<ImportCounts> | undefined;
    const importCounts = (): Promise<ImportCounts> => {
      const s = self.#sources;
      if (!s) return Promise.resolve({ datasets: {} });
      if (!imports) {
        // An unreadable entry makes `ipfed import` warn; a scrape carries on without the import series.
        const read = (imports = readImportCounts(s.store.db).catch(() => ({ datasets: {} })));
        void read.then(() => setImmediate(() => (imports = imports === read ? undefined : imports)));
      }
      return imports;
    };
    new Counter({
      name: "ipfed_import_records_total",
      help: "Records handled by `ipfed import`, by dataset and outcome (imported, updated, unchanged, rejected).",
      labelNames: ["dataset", "outcome"] as const,
      registers,
      async collect() {
        this.reset();
        for (const [dataset, c] of Object.entries((await importCounts()).datasets)) {
          for (const outcome of IMPORT_OUTCOMES) this.inc({ dataset, outcome }, c.records[outcome] ?? 0);
        }
      },
    });
    new Counter({
      name: "ipfed_import_runs_total",
      help: "Completed `ipfed import` runs, by dataset.",
      labelNames: ["dataset"] as const,
      registers,
      async collect() {
        this.reset();
        for (const [dataset, c] of Object.entries((await importCounts()).datasets)) this.inc({ dataset }, c.runs);
      },
    });
    new Gauge({
      name: "ipfed_import_last_timestamp_seconds",
      help: "When the last `ipfed import` into a dataset completed, Unix time in seconds.",
      labelNames: ["dataset"] as const,
      registers,
      async collect() {
        this.reset();
        for (const [dataset, c] of Object.entries((await importCounts()).datasets)) {
          const t = Date.parse(c.lastTime);
          if (Number.isFinite(t)) this.set({ dataset }, t / 1000);
        }
      },
    });
  }

  /** Starts reporting from a started node's parts. */
  attach(sources: StateSources): void {
    this.#sources = sources;
    const { config } = sources;
    this.#hubRegistry =
      config.kind === "hub"
        ? // A reader beside the node's own registry: `list` and `view` only read the store.
          new MemberRegistry(sources.store.federation, {
            hubId: config.id,
            keys: () => [],
            ...(config.federation?.heartbeatSeconds ? { heartbeatIntervalSeconds: config.federation.heartbeatSeconds } : {}),
          })
        : undefined;
  }

  /** Stops reporting (the node stopped; its store is closing). */
  detach(): void {
    this.#sources = undefined;
    this.#hubRegistry = undefined;
  }
}
