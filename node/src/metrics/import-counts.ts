import type { Level } from "level";
import { IpfedError } from "@ipfed/sdk";

/** Name of the sublevel, in the node's LevelDB, holding the running totals of its imports. */
export const IMPORT_COUNTS_SUBLEVEL = "imports";

/** Outcomes an import counts records under, as its summary names them. */
export const IMPORT_OUTCOMES = ["imported", "updated", "unchanged", "rejected"] as const;

/** One outcome of {@link IMPORT_OUTCOMES}. */
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

/** Running totals of the imports into one dataset. */
export interface DatasetImportCounts {
  /** Imports that completed. */
  readonly runs: number;
  /** Records by outcome, over every completed import. */
  readonly records: { readonly [O in ImportOutcome]: number };
  /** When the last import completed, ISO 8601. */
  readonly lastTime: string;
}

/** Running totals of the imports into a node, by dataset. */
export interface ImportCounts {
  readonly datasets: { readonly [dataset: string]: DatasetImportCounts };
}

/** The node's LevelDB, as `openNodeStore` opens it (`NodeStore.db`). */
type NodeDb = Level<string, Uint8Array>;

const sublevelOf = (db: NodeDb) => db.sublevel<string, Uint8Array>(IMPORT_COUNTS_SUBLEVEL, { keyEncoding: "utf8", valueEncoding: "view" });

function decode(dataset: string, bytes: Uint8Array): DatasetImportCounts {
  try {
    const c = JSON.parse(new TextDecoder().decode(bytes)) as DatasetImportCounts;
    if (typeof c.runs !== "number" || typeof c.records !== "object" || c.records === null) throw new Error("not a runs/records object");
    return c;
  } catch (err) {
    throw new IpfedError("STORE_CORRUPT", `the import counts of dataset "${dataset}" in the store are unreadable (${(err as Error).message})`, { cause: err });
  }
}

/**
 * Reads the running totals of the imports into a node, from its store. Imports run in the
 * `ipfed import` process while the node is stopped, so the node reads what they left in the
 * store rather than counting itself; the totals travel with the store (and its backups).
 *
 * @throws IpfedError `STORE_CORRUPT` when an entry is not what {@link addImportCounts} writes.
 * @example
 * ```ts
 * const counts = await readImportCounts(nodeStore.db);
 * console.log(counts.datasets.uspto?.records.imported);
 * ```
 */
export async function readImportCounts(db: NodeDb): Promise<ImportCounts> {
  const datasets: { [dataset: string]: DatasetImportCounts } = {};
  for (const [dataset, bytes] of await sublevelOf(db).iterator().all()) datasets[dataset] = decode(dataset, bytes);
  return { datasets };
}

/**
 * Adds one completed import to the totals of a dataset in the node's store. Call it while
 * holding the store (its lock keeps a second writer away).
 *
 * @example
 * ```ts
 * await addImportCounts(nodeStore.db, "uspto", { imported: 5120, updated: 0, unchanged: 0, rejected: 3 });
 * ```
 */
export async function addImportCounts(db: NodeDb, dataset: string, records: { readonly [O in ImportOutcome]: number }, time = new Date()): Promise<DatasetImportCounts> {
  const sub = sublevelOf(db);
  const stored = await sub.get(dataset);
  const before = stored ? decode(dataset, stored) : undefined;
  const next: DatasetImportCounts = {
    runs: (before?.runs ?? 0) + 1,
    records: Object.fromEntries(IMPORT_OUTCOMES.map((o) => [o, (before?.records[o] ?? 0) + records[o]])) as { [O in ImportOutcome]: number },
    lastTime: time.toISOString(),
  };
  await sub.put(dataset, new TextEncoder().encode(JSON.stringify(next)));
  return next;
}
