import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteDataSource } from "../../examples/library-outlet/src/sqlite-data-source.js";
import { CONFORMANCE_MEMBER_ID, describeDataSourceConformance } from "./index.js";

// The library-outlet example's DataSource: a library's own SQLite schema in a real file in a
// temporary directory, the fixture written into the library's tables.
describeDataSourceConformance("library outlet (SQLite)", {
  supports: { publish: true },
  async open({ datasets, services, records }) {
    const dir = await mkdtemp(join(tmpdir(), "ipfed-conformance-sqlite-"));
    const source = SqliteDataSource.open(join(dir, "catalogue.db"), { memberId: CONFORMANCE_MEMBER_ID, watchIntervalMs: 100 });
    await source.importCatalogue({ datasets, services, records });
    return {
      dataSource: source,
      async close() {
        source.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
});
