import { afterAll, beforeAll, describe } from "vitest";
import { catalogueCases } from "./catalogue-cases.js";
import { startHarness } from "./conformance-harness.js";
import type { ConformanceHarness, DataSourceAdapter } from "./conformance-harness.js";
import { exchangeCases } from "./exchange-cases.js";
import { memberCases } from "./member-cases.js";
import { publishCases, readOnlyCases } from "./publish-cases.js";
import { recordCases } from "./record-cases.js";
import { searchCases } from "./search-cases.js";

/**
 * Registers the DataSource conformance suite (vitest) for one implementation: a real member
 * server (`createMemberServer` on 127.0.0.1:0) over the DataSource the adapter opens with the
 * fixture, called with the generated gRPC clients, anonymously and with tokens of each tier.
 * It checks every RPC's contract (catalogue, search with facets and paging, records, export,
 * harvest, publish when supported, keys, health, reflection), what each tier sees and finds,
 * and the errors (stable codes, gRPC statuses). Relevance scores are each implementation's
 * own; ids, counts, fields and the orders the protocol defines are not.
 *
 * The read-only cases share one loaded DataSource; the publish cases open a second one.
 *
 * @example
 * ```ts
 * describeDataSourceConformance("my platform", {
 *   supports: { publish: false },
 *   async open(fixture) {
 *     const db = await loadIntoMyDatabase(fixture);
 *     return { dataSource: new MyDataSource(db), close: () => db.close() };
 *   },
 * });
 * ```
 */
export function describeDataSourceConformance(name: string, adapter: DataSourceAdapter): void {
  describe(`DataSource conformance: ${name}`, () => {
    let h: ConformanceHarness | undefined;
    const harness = (): ConformanceHarness => {
      if (!h) throw new Error("the member did not start; see the error of beforeAll");
      return h;
    };
    beforeAll(async () => {
      h = await startHarness(adapter);
    });
    afterAll(async () => {
      await h?.close();
    });
    describe("CatalogueService", () => catalogueCases(harness));
    describe("SearchService Search", () => searchCases(harness));
    describe("SearchService GetRecord", () => recordCases(harness));
    describe("ExchangeService Export and Harvest", () => exchangeCases(harness));
    describe("member, keys, health, reflection and tokens", () => memberCases(harness));
    if (!adapter.supports.publish) describe("read-only", () => readOnlyCases(harness));
  });
  if (adapter.supports.publish) {
    describe(`DataSource conformance: ${name}, writes`, () => {
      let h: ConformanceHarness | undefined;
      beforeAll(async () => {
        h = await startHarness(adapter);
      });
      afterAll(async () => {
        await h?.close();
      });
      publishCases(() => {
        if (!h) throw new Error("the member did not start; see the error of beforeAll");
        return h;
      });
    });
  }
}
