import { IpfedError } from "@ipfed/sdk";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openNodeStore } from "../../node/src/store/node-store.js";
import { StoreDataSource } from "../../node/src/store-data-source.js";
import { CONFORMANCE_MEMBER_ID, describeDataSourceConformance } from "./index.js";

// The reference node's DataSource: LevelDB store and index in a temporary directory, the
// fixture written through the store as `ipfed import` would.
describeDataSourceConformance("reference node (LevelDB StoreDataSource)", {
  supports: { publish: true },
  async open({ datasets, services, records }) {
    const dir = await mkdtemp(join(tmpdir(), "ipfed-conformance-store-"));
    const node = await openNodeStore(dir, CONFORMANCE_MEMBER_ID);
    for (const d of datasets) await node.store.putDataset(d);
    for (const s of services) await node.store.putService(s);
    for (const d of datasets) {
      const outcomes = await node.store.write(d.id, records.filter((r) => r.datasetId === d.id).map((record) => ({ type: "put" as const, record })), node.index);
      if (outcomes.some((o) => o.status !== "created")) throw new IpfedError("INTERNAL", `loading ${d.id}: ${JSON.stringify(outcomes)}`);
    }
    return {
      dataSource: new StoreDataSource(node.store, node.index),
      async close() {
        await node.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
});
