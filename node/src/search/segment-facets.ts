import type { DocColumns, StringPool } from "./doc-columns.js";
import { kindName } from "./index-document.js";
import { facetBuckets } from "./result-page.js";
import type { FacetCounts, FacetName } from "./search-index.js";

/**
 * Counts one facet over the matching documents of every segment, on the integer columns (pool
 * ids, kind numbers, years), and turns the counts into strings only once at the end.
 */
export class FacetCounter {
  private readonly counts = new Map<number, number>();
  // ipc_section counts by section letter: a document counts once per section.
  private readonly sections = new Map<string, number>();

  constructor(
    readonly name: FacetName,
    private readonly pool: StringPool,
  ) {}

  /** Counts the documents `ords` of a segment. */
  add(c: DocColumns, ords: Int32Array): void {
    const counts = this.counts;
    const bump = (key: number): void => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
    };
    const one = (col: ArrayLike<number>, absent: number): void => {
      for (let i = 0; i < ords.length; i++) {
        const v = col[ords[i] as number] as number;
        if (v !== absent) bump(v);
      }
    };
    switch (this.name) {
      case "kind":
        return one(c.kind, 0);
      case "country":
        return one(c.country, -1);
      case "dataset":
        return one(c.dataset, -1);
      case "applicant":
        return one(c.applicant, -1);
      case "year":
        for (let i = 0; i < ords.length; i++) {
          const pd = c.pd[ords[i] as number] as number;
          if (pd !== 0) bump(Math.floor(pd / 10_000));
        }
        return;
      case "nice":
        for (let i = 0; i < ords.length; i++) {
          const o = ords[i] as number;
          for (let k = c.niceStarts[o] as number; k < (c.niceStarts[o + 1] as number); k++) bump(c.nice[k] as number);
        }
        return;
      case "ipc_class":
        for (let i = 0; i < ords.length; i++) {
          const o = ords[i] as number;
          for (let k = c.ipcStarts[o] as number; k < (c.ipcStarts[o + 1] as number); k++) bump(c.ipcClasses[k] as number);
        }
        return;
      case "ipc_section":
        for (let i = 0; i < ords.length; i++) {
          const o = ords[i] as number;
          let seen = "";
          for (let k = c.ipcStarts[o] as number; k < (c.ipcStarts[o + 1] as number); k++) {
            const section = (this.pool.values[c.ipcClasses[k] as number] as string).charAt(0);
            if (seen.includes(section)) continue;
            seen += section;
            this.sections.set(section, (this.sections.get(section) ?? 0) + 1);
          }
        }
        return;
    }
  }

  /** The buckets: largest count first, ties by value, at most `size`. */
  finish(size: number): FacetCounts {
    const out = new Map<string, number>(this.sections);
    for (const [key, count] of this.counts) {
      const value = this.name === "kind" ? kindName(key) : this.name === "year" || this.name === "nice" ? String(key) : (this.pool.values[key] as string);
      out.set(value, (out.get(value) ?? 0) + count);
    }
    return facetBuckets(this.name, out, size);
  }
}
