import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Level } from "level";
import { recordStoreConformance } from "./record-store.conformance.js";
import { LevelRecordStore } from "./level-record-store.js";

recordStoreConformance("level", async () => {
  const dir = await mkdtemp(join(tmpdir(), "ipfed-store-"));
  let db = new Level<string, Uint8Array>(dir, { valueEncoding: "view" });
  let store = new LevelRecordStore(db, { memberId: "m" });
  return {
    store,
    async reopen() {
      await store.close();
      db = new Level<string, Uint8Array>(dir, { valueEncoding: "view" });
      store = new LevelRecordStore(db, { memberId: "m" });
      await store.open();
      return store;
    },
    async teardown() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}, { persistence: true });
