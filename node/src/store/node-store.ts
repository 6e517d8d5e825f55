import { join } from "node:path";
import { Level } from "level";
import { IpfedError } from "@ipfed/sdk";
import { LevelSearchIndex } from "../search/level-search-index.js";
import { LevelRecordStore } from "./level-record-store.js";
import { registrySublevel } from "../federation/registry-sublevel.js";
import type { RegistrySublevel } from "../federation/registry-sublevel.js";

/** A node's open store and index, sharing one LevelDB. */
export interface NodeStore {
  readonly store: LevelRecordStore;
  readonly index: LevelSearchIndex;
  /** The hub's member registry, in the same LevelDB. */
  readonly federation: RegistrySublevel;
  /** The LevelDB itself, every sublevel under it: what a backup reads through one snapshot. */
  readonly db: Level<string, Uint8Array>;
  /** Closes index and store; idempotent. */
  close(): Promise<void>;
}

/** Folder of the LevelDB store inside a node's data directory. */
export const STORE_DIR = "store";

/**
 * Opens the LevelDB store and search index in a node's data directory. A store held by
 * another process is STORE_LOCKED; an unreadable one is STORE_CORRUPT — each with a message
 * that says what to do, never a crash loop.
 *
 * @example
 * ```ts
 * const { store, index, close } = await openNodeStore("/var/lib/ipfed", "sc-regional");
 * ```
 */
export async function openNodeStore(dir: string, memberId: string): Promise<NodeStore> {
  const location = join(dir, STORE_DIR);
  const db = new Level<string, Uint8Array>(location, { valueEncoding: "view" });
  try {
    await db.open();
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string; message?: string } };
    const code = e.cause?.code ?? e.code;
    if (code === "LEVEL_LOCKED") {
      throw new IpfedError("STORE_LOCKED", `the store in ${location} is in use by another process (is the node running? stop it first)`, { cause: err });
    }
    if (code === "LEVEL_CORRUPTION") {
      throw new IpfedError("STORE_CORRUPT", `the store in ${location} is damaged (${e.cause?.message ?? "corruption"}); restore it from a backup (ipfed node restore)`, { cause: err });
    }
    throw new IpfedError("STORE_CORRUPT", `cannot open the store in ${location}: ${e.cause?.message ?? (err as Error).message}`, { cause: err });
  }
  const store = new LevelRecordStore(db, { memberId });
  const index = new LevelSearchIndex(db.sublevel<string, Uint8Array>("idx", { keyEncoding: "utf8", valueEncoding: "view" }));
  try {
    await store.open();
    await index.open();
  } catch (err) {
    await db.close().catch(() => undefined);
    const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
    const message = e.cause?.message ?? e.message ?? String(err);
    if ((e.cause?.code ?? e.code) === "LEVEL_CORRUPTION" || /corrupt/i.test(message)) {
      throw new IpfedError("STORE_CORRUPT", `the store in ${location} is damaged (${message}); restore it from a backup (ipfed node restore)`, { cause: err });
    }
    throw err;
  }
  let closed = false;
  return {
    store,
    index,
    federation: registrySublevel(db),
    db,
    async close() {
      if (closed) return;
      closed = true;
      await index.close();
      await store.close();
    },
  };
}
