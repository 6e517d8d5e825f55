// The DataSource conformance suite: run it against any DataSource (see README.md).
export { describeDataSourceConformance } from "./data-source-conformance.js";
export type { DataSourceAdapter, OpenedDataSource, ConformanceHarness, ConformanceTokens } from "./conformance-harness.js";
export {
  CONFORMANCE_FIXTURE,
  CONFORMANCE_DATASETS,
  CONFORMANCE_RECORDS,
  CONFORMANCE_SERVICES,
  CONFORMANCE_MEMBER_ID,
  CONFORMANCE_NETWORK_ID,
} from "./conformance-fixture.js";
export type { ConformanceFixture } from "./conformance-fixture.js";
