import type { CatalogueSummary, Dataset } from "@ipfed/proto";
import type { DataSource } from "../server/data-source.js";

/**
 * Summarises a member's datasets the way heartbeats and federated planning read them: counts,
 * kinds, countries, regions, and a version that grows with every change.
 *
 * @example
 * ```ts
 * const summary = summariseCatalogue(await dataSource.listDatasets());
 * summary.recordCount; // 50
 * ```
 */
export function summariseCatalogue(datasets: readonly Dataset[]): CatalogueSummary {
  return {
    datasetCount: datasets.length,
    recordCount: datasets.reduce((n, d) => n + d.recordCount, 0),
    kinds: [...new Set(datasets.flatMap((d) => d.kinds))].sort((a, b) => a - b),
    countries: [...new Set(datasets.flatMap((d) => d.coverage?.countries ?? []))].sort(),
    regions: [...new Set(datasets.flatMap((d) => d.coverage?.regions ?? []))].sort(),
    version: datasets.reduce((n, d) => n + d.version, 0),
    datasetIds: datasets.map((d) => d.id),
  };
}

/**
 * The catalogue summary of a DataSource, for {@link joinHub}'s heartbeats.
 *
 * @example
 * ```ts
 * const link = await joinHub({ ..., catalogue: () => catalogueSummaryOf(dataSource) });
 * ```
 */
export async function catalogueSummaryOf(dataSource: Pick<DataSource, "listDatasets">): Promise<CatalogueSummary> {
  return summariseCatalogue(await dataSource.listDatasets());
}
