import type { Dataset, Record } from "@ipfed/proto";
import type { DatasetStats } from "./record-store.js";

/** Mutable per-dataset figures, kept exactly under inserts and deletes. */
export interface StatsState {
  recordCount: number;
  countries: { [cc: string]: number };
  kinds: { [kind: string]: number };
  /** Publication dates with counts, so that the range stays exact when records go. */
  dates: { [date: string]: number };
  version: number;
  updatedTime: string;
}

/** Empty figures. */
export function emptyStats(): StatsState {
  return { recordCount: 0, countries: {}, kinds: {}, dates: {}, version: 0, updatedTime: "" };
}

function bump(map: { [k: string]: number }, key: string, by: number): void {
  if (!key) return;
  const n = (map[key] ?? 0) + by;
  if (n <= 0) delete map[key];
  else map[key] = n;
}

/** Counts a record in (`by` = 1) or out (`by` = -1) of the figures. */
export function countRecord(s: StatsState, r: Record, by: 1 | -1): void {
  s.recordCount += by;
  bump(s.countries, r.country, by);
  bump(s.kinds, String(r.kind), by);
  bump(s.dates, r.publicationDate, by);
}

/** The public view of the figures. */
export function toDatasetStats(s: StatsState): DatasetStats {
  const dates = Object.keys(s.dates).sort();
  return {
    recordCount: s.recordCount,
    countries: { ...s.countries },
    kinds: { ...s.kinds },
    dateFrom: dates[0] ?? "",
    dateTo: dates[dates.length - 1] ?? "",
    version: s.version,
    updatedTime: s.updatedTime,
  };
}

/** A dataset's metadata with its current figures: record count, version, coverage from the records. */
export function datasetWithStats(d: Dataset, s: StatsState): Dataset {
  const st = toDatasetStats(s);
  return {
    ...d,
    recordCount: st.recordCount,
    version: st.version,
    ...(st.updatedTime ? { updatedTime: st.updatedTime } : {}),
    coverage: {
      countries: Object.keys(st.countries).sort(),
      dateFrom: st.dateFrom,
      dateTo: st.dateTo,
      regions: d.coverage?.regions ?? [],
    },
  };
}
