import { createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { once } from "node:events";
import { join } from "node:path";
import { generateCorpus } from "@ipfed/corpus";
import { Record } from "@ipfed/proto";
import { ipfed } from "../../test/helpers/node-process.js";
import { unlimited } from "./unlimited.js";

/** Seed of the benchmark corpus: every scenario and every peer reads the same records. */
export const BENCH_SEED = 7;
/** Dataset the records are imported into. */
export const BENCH_DATASET = "corpus";
/** Member id of the benchmark node. */
export const BENCH_MEMBER = "bench";

/** Where a size's shared inputs live in the cache directory. */
export interface CachedCorpus {
  /** Records as JSON lines (`Record.toJSON`), the input of every engine. */
  readonly jsonl: string;
  /** A node data directory holding the records, imported with `ipfed import`. */
  readonly nodeDir: string;
}

/** What `ipfed import` reported when the cached node was built. */
export interface ImportFigures {
  /** Wall time of the `ipfed import` process, ms. */
  readonly wallMs: number;
  /** The import's own summary time (without process start and close), ms. */
  readonly importMs: number;
  readonly imported: number;
}

/**
 * Paths of a size's cached inputs in `cacheDir` (nothing is created).
 *
 * @example
 * ```ts
 * cachedPaths(".cache", 1000).jsonl; // ".cache/corpus-1000.jsonl"
 * ```
 */
export function cachedPaths(cacheDir: string, size: number): CachedCorpus {
  return { jsonl: join(cacheDir, `corpus-${size}.jsonl`), nodeDir: join(cacheDir, `node-${size}`) };
}

/**
 * Writes the first `size` records of the benchmark corpus as JSON lines, once: a later call
 * finds the file and returns at once. Written under a temporary name and renamed, so an
 * interrupted run never leaves a short file behind.
 *
 * @example
 * ```ts
 * const file = await ensureJsonl(".cache", 1000);
 * ```
 */
export async function ensureJsonl(cacheDir: string, size: number): Promise<string> {
  const { jsonl } = cachedPaths(cacheDir, size);
  if (existsSync(jsonl)) return jsonl;
  await mkdir(cacheDir, { recursive: true });
  const partial = `${jsonl}.partial`;
  const out = createWriteStream(partial);
  for (const r of generateCorpus({ size, seed: BENCH_SEED, datasetId: BENCH_DATASET })) {
    if (!out.write(JSON.stringify(Record.toJSON(r)) + "\n")) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  await rename(partial, jsonl);
  return jsonl;
}

/**
 * Creates a node in `dir` and imports `jsonl` into it with the `ipfed` CLI, timing the import
 * process. An existing `dir` is replaced.
 *
 * @example
 * ```ts
 * const figures = await importNode("/tmp/n", ".cache/corpus-1000.jsonl");
 * ```
 */
export async function importNode(dir: string, jsonl: string): Promise<ImportFigures> {
  await rm(dir, { recursive: true, force: true });
  const init = await ipfed(["node", "init", "--dir", dir, "--id", BENCH_MEMBER, "--kind", "regional", "--region", "510000", "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"]);
  if (init.code !== 0) throw new Error(`ipfed node init failed: ${init.stderr}`);
  await unlimited(dir);
  const t = performance.now();
  const r = await ipfed(["import", "--dir", dir, "--dataset", BENCH_DATASET, "--json", jsonl]);
  const wallMs = performance.now() - t;
  if (r.code !== 0) throw new Error(`ipfed import failed (${r.code}): ${r.stderr}`);
  const summary = JSON.parse(r.stdout) as { ms: number; imported: number };
  const figures: ImportFigures = { wallMs, importMs: summary.ms, imported: summary.imported };
  await writeFile(join(dir, "bench-import.json"), JSON.stringify(figures) + "\n");
  return figures;
}

/**
 * The cached node of a size, imported once (on first use) and reused by every scenario that
 * only reads it, so that the 1M-record store is built once.
 *
 * @example
 * ```ts
 * const { nodeDir } = await ensureNode(".cache", 1000);
 * ```
 */
export async function ensureNode(cacheDir: string, size: number): Promise<CachedCorpus & { figures: ImportFigures }> {
  const paths = cachedPaths(cacheDir, size);
  const marker = join(paths.nodeDir, "bench-import.json");
  if (existsSync(marker)) return { ...paths, figures: JSON.parse(await readFile(marker, "utf8")) as ImportFigures };
  const jsonl = await ensureJsonl(cacheDir, size);
  return { ...paths, figures: await importNode(paths.nodeDir, jsonl) };
}
