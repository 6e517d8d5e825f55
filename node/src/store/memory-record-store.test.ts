import { recordStoreConformance } from "./record-store.conformance.js";
import { MemoryRecordStore } from "./memory-record-store.js";

recordStoreConformance("memory", async () => ({ store: new MemoryRecordStore({ memberId: "m" }), teardown: async () => {} }));
