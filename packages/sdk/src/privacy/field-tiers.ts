import { Tier, fieldTierOptions, protoRegistry } from "@ipfed/proto";
import type { Dataset, FieldTier } from "@ipfed/proto";
import { effectiveTier, maxTier, tierName } from "./tier-order.js";

/**
 * Fully qualified name of the message every field path starts from.
 *
 * @example
 * ```ts
 * FieldTierPolicy.schema().root.typeName === RECORD_TYPE; // true
 * ```
 */
export const RECORD_TYPE = "ipfed.v1.Record";

/**
 * The proto name of the field that marks a message as describing a natural person. When it is
 * true, the `(ipfed.v1.personal_tier)` of the message's fields applies.
 *
 * @example
 * ```ts
 * const party = FieldTierPolicy.schema().root.fields.find((f) => f.name === "inventors")?.message;
 * party?.fields.some((f) => f.name === NATURAL_PERSON_FIELD); // true: inventors may be natural persons
 * ```
 */
export const NATURAL_PERSON_FIELD = "natural_person";

/**
 * The record field that carries the redaction report. It cannot be given a tier: it is what
 * tells the caller that something was withheld.
 *
 * @example
 * ```ts
 * const { record } = redactRecord(fullRecord, Tier.TIER_PUBLIC);
 * record.withheldFields; // what the field named WITHHELD_FIELDS_FIELD reports, e.g. ["inventors.address"]
 * ```
 */
export const WITHHELD_FIELDS_FIELD = "withheld_fields";

/**
 * How a field's value is held in the generated (ts-proto) type: `scalar` (string, number,
 * boolean, enum, bytes), `list` (an array), `map` (a plain object) or `message` (an object, or
 * `undefined` when unset; also each case of a oneof).
 *
 * @example
 * ```ts
 * const shape: FieldShape | undefined = FieldTierPolicy.schema().root.fields.find((f) => f.name === "titles")?.shape; // "list"
 * ```
 */
export type FieldShape = "scalar" | "list" | "map" | "message";

/**
 * One field of a message at one path from the Record, with the tiers it needs there.
 *
 * @example
 * ```ts
 * const field: PolicyField | undefined = FieldTierPolicy.schema().root.fields.find((f) => f.name === "claims");
 * console.log(field?.path, tierName(field?.tier ?? Tier.TIER_UNSPECIFIED)); // "claims" "registered"
 * ```
 */
export interface PolicyField {
  /** Field name as in the .proto file (`examination_notes`). */
  readonly name: string;
  /** Property name in the generated TypeScript type (`examinationNotes`). */
  readonly key: string;
  /** Dotted path of proto names from the Record (`inventors.address`, `trademark.classes`). */
  readonly path: string;
  /** The tier this field itself needs: the schema's, raised by a dataset override. */
  readonly tier: Tier;
  /**
   * The tier it needs when the enclosing message is a natural person: never below `tier`.
   * Only read when the enclosing message has a `natural_person` field.
   */
  readonly personalTier: Tier;
  /** How the value is held. */
  readonly shape: FieldShape;
  /** The oneof property and `$case` of the field, when it is a case of a oneof (`detail`). */
  readonly oneof?: {
    /** The oneof's property in the generated type (`detail`). */
    readonly key: string;
    /** The `$case` of this field within it. */
    readonly case: string;
  };
  /**
   * The ipfed.v1 message inside the field (its type, the element type of a list, the value type
   * of a map). Absent for scalars and for messages from outside ipfed.v1 (a Timestamp, which
   * the generated code holds as a string and which carries no tiers).
   */
  readonly message?: PolicyMessage;
}

/**
 * A message at one path from the Record, with its fields' tiers.
 *
 * @example
 * ```ts
 * const root: PolicyMessage = FieldTierPolicy.schema().root;
 * console.log(root.typeName, root.fields.length); // "ipfed.v1.Record" and its field count
 * ```
 */
export interface PolicyMessage {
  /** Fully qualified name (`ipfed.v1.Party`). */
  readonly typeName: string;
  /** Path of the field holding it; empty for the Record itself. */
  readonly path: string;
  /** Fields in declaration order. */
  readonly fields: readonly PolicyField[];
  /** Property name of the `natural_person` field, when the message has one. */
  readonly naturalPersonKey?: string;
  /**
   * The highest tier any field at or below this message needs (personal tiers included).
   * A caller holding at least this tier sees the whole message, so redaction skips it.
   */
  readonly maxTier: Tier;
}

/** A field of the schema as read from the descriptors, before any dataset override. */
interface SchemaField {
  readonly name: string;
  readonly key: string;
  readonly tier: Tier;
  readonly personalTier: Tier;
  readonly shape: FieldShape;
  readonly messageType?: string;
  readonly oneof?: { readonly key: string; readonly case: string };
}

let schemaFields: ReadonlyMap<string, readonly SchemaField[]> | undefined;

// ts-proto names properties (and oneof unions) by camel-casing the proto name.
function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Reads every ipfed.v1 message once from the embedded descriptors: tiers from
 * `fieldTierOptions()`, shapes (list, map, oneof) from the registry. Nothing here names a
 * field, so a tier added to a .proto file takes effect on the next generation.
 */
function readSchema(): ReadonlyMap<string, readonly SchemaField[]> {
  if (schemaFields) return schemaFields;
  const registry = protoRegistry();
  const out = new Map<string, SchemaField[]>();
  for (const [typeName, options] of fieldTierOptions()) {
    const desc = registry.getMessage(typeName);
    if (!desc) throw new Error(`descriptor set lacks message ${typeName}`);
    const fields: SchemaField[] = [];
    for (const option of options) {
      const f = desc.fields.find((x) => x.name === option.field);
      if (!f) throw new Error(`descriptor set lacks field ${typeName}.${option.field}`);
      const shape: FieldShape = f.fieldKind === "scalar" || f.fieldKind === "enum" ? "scalar" : f.fieldKind;
      // Only ipfed.v1 messages can hold tiered fields; anything else is copied as a leaf.
      const messageType = option.messageType !== undefined && fieldTierOptions().has(option.messageType) ? option.messageType : undefined;
      const tier = effectiveTier(option.tier);
      fields.push({
        name: option.field,
        key: option.jsonName,
        tier,
        personalTier: maxTier(tier, option.personalTier),
        shape,
        ...(messageType !== undefined ? { messageType } : {}),
        ...(f.oneof !== undefined ? { oneof: { key: camel(f.oneof.name), case: camel(f.name) } } : {}),
      });
    }
    out.set(typeName, fields);
  }
  schemaFields = out;
  return out;
}

/** Where a path leads: the field and the tiers needed to reach and read it. */
interface PathEntry {
  /** Highest tier along the path (every enclosing field, and the field itself). */
  readonly tier: Tier;
  /** The same when the field's enclosing message is a natural person. */
  readonly personalTier: Tier;
}

let schemaPolicy: FieldTierPolicy | undefined;

/**
 * The tier of every field of a Record at every path: the schema's `(ipfed.v1.tier)` and
 * `(ipfed.v1.personal_tier)` options, read once from the descriptors, raised by a dataset's
 * `field_tiers` overrides. Redaction, searchable fields and facets all read it, so one policy
 * decides what a caller sees, finds and counts.
 *
 * Overrides can only raise a tier, never lower it: the effective tier of a field is the higher
 * of the schema's and the override's, and the personal tier of a natural person's field stays
 * at least the schema's. The schema states what the protocol promises every member's users
 * (natural persons' addresses are RESTRICTED everywhere); a dataset may be stricter, but a
 * catalogue entry must not be able to publish what the protocol protects. An override that
 * raises nothing is listed in {@link FieldTierPolicy.ineffectiveOverrides} so that tools can
 * warn about it.
 *
 * Build a policy once per dataset (version) and reuse it for every record: redaction plans are
 * compiled per policy and tier on first use.
 *
 * @example
 * ```ts
 * const policy = FieldTierPolicy.forDataset({ fieldTiers: [{ field: "applicants", tier: Tier.TIER_REGISTERED }] });
 * policy.tierOfPath("claims"); // Tier.TIER_REGISTERED (schema)
 * policy.tierOfPath("applicants.name"); // Tier.TIER_REGISTERED (override, inherited)
 * policy.tierOfPath("inventors.address", true); // Tier.TIER_RESTRICTED (personal tier)
 * ```
 */
export class FieldTierPolicy {
  /** The Record and, below it, every message at every path. */
  readonly root: PolicyMessage;
  /** Paths of the overrides that raised no tier (at or below the schema's); empty for the schema. */
  readonly ineffectiveOverrides: readonly string[];
  private readonly index: ReadonlyMap<string, PathEntry>;

  private constructor(overrides: ReadonlyMap<string, Tier>) {
    const schema = readSchema();
    const index = new Map<string, PathEntry>();
    const used = new Set<string>();
    const ineffective: string[] = [];

    const build = (typeName: string, prefix: string, reach: Tier, ancestors: readonly string[]): PolicyMessage => {
      // A message that contains itself would have endless paths; none does today, and a
      // generic walk over one cannot be planned, so refuse rather than loop.
      if (ancestors.includes(typeName)) throw new Error(`message ${typeName} contains itself at ${prefix}; field tiers cannot be planned`);
      const fields = schema.get(typeName);
      if (!fields) throw new Error(`no descriptor for ${typeName}`);
      const naturalPerson = fields.find((f) => f.name === NATURAL_PERSON_FIELD && f.shape === "scalar");
      const out: PolicyField[] = [];
      let highest: Tier = Tier.TIER_PUBLIC;
      for (const f of fields) {
        const path = prefix === "" ? f.name : `${prefix}.${f.name}`;
        const override = overrides.get(path);
        let tier = f.tier;
        if (override !== undefined) {
          used.add(path);
          if (effectiveTier(override) > tier) tier = effectiveTier(override);
          else ineffective.push(path);
        }
        const personalTier = maxTier(tier, f.personalTier);
        const pathTier = maxTier(reach, tier);
        index.set(path, {
          tier: pathTier,
          personalTier: naturalPerson ? maxTier(reach, personalTier) : pathTier,
        });
        const message = f.messageType !== undefined ? build(f.messageType, path, pathTier, [...ancestors, typeName]) : undefined;
        out.push({
          name: f.name,
          key: f.key,
          path,
          tier,
          personalTier,
          shape: f.shape,
          ...(f.oneof ? { oneof: f.oneof } : {}),
          ...(message ? { message } : {}),
        });
        highest = maxTier(highest, naturalPerson ? personalTier : tier);
        if (message) highest = maxTier(highest, message.maxTier);
      }
      return {
        typeName,
        path: prefix,
        fields: out,
        ...(naturalPerson ? { naturalPersonKey: naturalPerson.key } : {}),
        maxTier: highest,
      };
    };

    this.root = build(RECORD_TYPE, "", Tier.TIER_PUBLIC, []);
    this.index = index;
    for (const path of overrides.keys()) {
      if (!used.has(path)) throw new RangeError(`field_tiers: "${path}" is not a field path of ipfed.v1.Record (proto names joined with dots, e.g. "inventors.address")`);
    }
    this.ineffectiveOverrides = Object.freeze(ineffective.sort());
  }

  /**
   * Returns the policy of the schema alone, without overrides; built on first use and shared.
   *
   * @example
   * ```ts
   * FieldTierPolicy.schema().tierOfPath("examination_notes"); // Tier.TIER_CONFIDENTIAL
   * ```
   */
  static schema(): FieldTierPolicy {
    schemaPolicy ??= new FieldTierPolicy(new Map());
    return schemaPolicy;
  }

  /**
   * Builds the policy of the schema raised by per-dataset overrides (`Dataset.field_tiers`).
   *
   * Paths are proto field names joined with dots through message fields, repeated or not,
   * and through oneof cases (`claims`, `inventors.address`, `trademark.classes`, `extra`); a
   * map is one field (`extra`, not `extra.key`). Several overrides of one path keep the highest.
   * An override of a field raises everything inside it too.
   *
   * @throws RangeError for a path that is not a field of the Record, for `withheld_fields`, or
   * for a tier that is not one of the protocol's: a mistyped override must not silently leave a
   * field less protected than its dataset promises.
   */
  static withOverrides(fieldTiers: readonly FieldTier[]): FieldTierPolicy {
    if (fieldTiers.length === 0) return FieldTierPolicy.schema();
    const overrides = new Map<string, Tier>();
    for (const [i, o] of fieldTiers.entries()) {
      if (!Number.isInteger(o.tier) || o.tier < Tier.TIER_UNSPECIFIED || o.tier > Tier.TIER_CONFIDENTIAL) {
        throw new RangeError(`field_tiers[${i}] "${o.field}": ${tierName(o.tier)} is not a tier`);
      }
      if (o.field === WITHHELD_FIELDS_FIELD) throw new RangeError(`field_tiers[${i}]: "${WITHHELD_FIELDS_FIELD}" reports redaction and cannot be given a tier`);
      overrides.set(o.field, maxTier(overrides.get(o.field) ?? Tier.TIER_PUBLIC, o.tier));
    }
    return new FieldTierPolicy(overrides);
  }

  /**
   * Builds the policy of a dataset from its `field_tiers`; see {@link FieldTierPolicy.withOverrides}.
   *
   * @example
   * ```ts
   * const policy = FieldTierPolicy.forDataset(dataset);
   * ```
   */
  static forDataset(dataset: Pick<Dataset, "fieldTiers">): FieldTierPolicy {
    return FieldTierPolicy.withOverrides(dataset.fieldTiers);
  }

  /**
   * Returns the tier a caller needs to see the field at `path`: the highest tier along the path
   * (a field inside a withheld field is withheld too). With `naturalPerson`, the personal tier
   * applies when the field's enclosing message has a `natural_person` field (a Party).
   *
   * @example
   * ```ts
   * const policy = FieldTierPolicy.schema();
   * policy.tierOfPath("claims.text"); // Tier.TIER_REGISTERED
   * policy.tierOfPath("applicants.city"); // Tier.TIER_PUBLIC (an organisation's seat)
   * policy.tierOfPath("applicants.city", true); // Tier.TIER_RESTRICTED (a person's home)
   * ```
   * @throws RangeError if `path` is not a field path of the Record.
   */
  tierOfPath(path: string, naturalPerson = false): Tier {
    const entry = this.index.get(path);
    if (!entry) throw new RangeError(`"${path}" is not a field path of ipfed.v1.Record`);
    return naturalPerson ? entry.personalTier : entry.tier;
  }

  /** Tells whether `path` names a field of the Record (`inventors.address`). */
  hasPath(path: string): boolean {
    return this.index.has(path);
  }

  /** Lists every field path of the Record, parents before their fields. */
  paths(): string[] {
    return [...this.index.keys()];
  }
}
