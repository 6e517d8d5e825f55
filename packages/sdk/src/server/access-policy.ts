import type { Dataset, Facet, Record } from "@ipfed/proto";
import type { Caller } from "../auth/caller.js";
import { IpfedError } from "../errors/ipfed-error.js";
import { FieldTierPolicy } from "../privacy/field-tiers.js";
import { canSeeRecord } from "../privacy/record-access.js";
import { redactRecord, redactsNothing } from "../privacy/redact-record.js";
import { searchableQueryFields, visibleFacets } from "../privacy/searchable-fields.js";
import type { SearchableField } from "../privacy/searchable-fields.js";
import { suppressSmallCounts } from "../privacy/small-counts.js";
import { tierAtLeast } from "../privacy/tier-order.js";
import type { DataSource } from "./data-source.js";

/** Options of the kit's privacy rules. */
export interface PrivacyOptions {
  /**
   * Facet counts below this are suppressed in answers over sensitive datasets.
   * @defaultValue 5
   */
  smallCountThreshold?: number;
}

/**
 * Applies the privacy rules of one member to one caller: which datasets the caller may see,
 * which fields it may match on (no oracle), how records are redacted, and which facet counts
 * are suppressed. Field-tier policies are built once per dataset version and shared.
 */
export class AccessPolicy {
  readonly #source: DataSource;
  readonly #k: number;
  readonly #policies = new Map<string, { version: number; policy: FieldTierPolicy }>();

  constructor(source: DataSource, options: PrivacyOptions = {}) {
    this.#source = source;
    this.#k = options.smallCountThreshold ?? 5;
  }

  /** The field-tier policy of a dataset (the schema's, raised by the dataset's overrides). */
  policyOf(dataset: Dataset | undefined): FieldTierPolicy {
    if (!dataset || dataset.fieldTiers.length === 0) return FieldTierPolicy.schema();
    const cached = this.#policies.get(dataset.id);
    if (cached && cached.version === dataset.version) return cached.policy;
    const policy = FieldTierPolicy.forDataset(dataset);
    this.#policies.set(dataset.id, { version: dataset.version, policy });
    return policy;
  }

  /** Tells whether the caller may see a dataset at all: its tier, and the token's dataset limit. */
  canSeeDataset(caller: Caller, d: Dataset): boolean {
    return tierAtLeast(caller.tier, d.tier) && (!caller.datasets || caller.datasets.has(d.id));
  }

  /** The datasets the caller may see. */
  async visibleDatasets(caller: Caller): Promise<Dataset[]> {
    return (await this.#source.listDatasets()).filter((d) => this.canSeeDataset(caller, d));
  }

  /**
   * One dataset the caller names: refused with DATASET_NOT_ALLOWED when the token is limited
   * to others, and DATASET_NOT_FOUND when it does not exist or the caller may not see it
   * (so that existence does not leak).
   */
  async requireDataset(caller: Caller, id: string, field = "dataset_id"): Promise<Dataset> {
    if (!id) throw new IpfedError("INVALID_ARGUMENT", `${field} is required`, { field });
    if (caller.datasets && !caller.datasets.has(id)) {
      throw new IpfedError("DATASET_NOT_ALLOWED", `the token is limited to other datasets than "${id}"`, { field });
    }
    const d = await this.#source.getDataset(id);
    if (!d || !tierAtLeast(caller.tier, d.tier)) throw new IpfedError("DATASET_NOT_FOUND", `no dataset "${id}"`, { field });
    return d;
  }

  /**
   * What a search may cover: the datasets (the requested ones the caller may see, or all it
   * may see), and the query fields it may match on in every one of them.
   */
  async searchScope(caller: Caller, requested: readonly string[]): Promise<{ datasets: Dataset[]; fields: SearchableField[] }> {
    if (caller.datasets) {
      const outside = requested.find((d) => !caller.datasets!.has(d));
      if (outside !== undefined) throw new IpfedError("DATASET_NOT_ALLOWED", `the token is limited to other datasets than "${outside}"`, { field: "datasets" });
    }
    const visible = await this.visibleDatasets(caller);
    const datasets = requested.length ? visible.filter((d) => requested.includes(d.id)) : visible;
    let fields: SearchableField[] | undefined;
    for (const d of datasets.length ? datasets : [undefined]) {
      const f = searchableQueryFields(caller.tier, this.policyOf(d));
      fields = fields ? fields.filter((x) => f.includes(x)) : f;
    }
    return { datasets, fields: fields ?? [] };
  }

  /** Facets the caller may see over these datasets. */
  facets(caller: Caller, datasets: readonly Dataset[], requested: readonly string[]): string[] {
    let out = [...requested];
    for (const d of datasets.length ? datasets : [undefined]) out = visibleFacets(caller.tier, this.policyOf(d), out).filter((f) => out.includes(f));
    return out;
  }

  /** Facet counts after small-count suppression when any dataset searched is sensitive. */
  suppress(facets: readonly Facet[], datasets: readonly Dataset[]): Facet[] {
    return datasets.some((d) => d.sensitive) ? suppressSmallCounts(facets, this.#k) : [...facets];
  }

  /**
   * Whether the caller receives every record of the dataset it may see whole, with nothing
   * redacted: a record's stored encoding may then be sent as it is.
   */
  presentsWhole(caller: Caller, dataset: Dataset | undefined): boolean {
    return redactsNothing(caller.tier, this.policyOf(dataset));
  }

  /** A record as the caller may receive it, or undefined when the caller may not see it. */
  present(caller: Caller, record: Record, dataset: Dataset | undefined): Record | undefined {
    if (!canSeeRecord(record, caller.tier, dataset?.tier)) return undefined;
    return redactRecord(record, caller.tier, this.policyOf(dataset)).record;
  }
}
