import { describe } from "vitest";
import { MemorySearchIndex } from "./memory-search-index.js";
import { searchIndexConformance } from "./search-index.conformance.js";

describe("MemorySearchIndex", () => {
  searchIndexConformance("memory", async () => {
    const index = new MemorySearchIndex();
    await index.open();
    return {
      index,
      async commit(update) {
        update.apply();
      },
      async teardown() {
        await index.close();
      },
    };
  });
});
