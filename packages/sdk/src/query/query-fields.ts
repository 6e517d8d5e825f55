/**
 * How a field's values are read and checked.
 *
 * - `text`: analysed text (terms, prefixes and phrases).
 * - `class`: an IPC or CPC symbol (`H01M10/052`), matched on the hierarchy.
 * - `nice`: a Nice class, 1 to 45.
 * - `country`: a two-letter country or office code (`CN`, `EP`, `WO`).
 * - `kind`: a record kind (`patent`, `trademark`...).
 * - `date`: a day, month or year, always read as a range of days.
 * - `keyword`: an exact identifier (record, dataset or family id).
 *
 * @example
 * ```ts
 * const kind: FieldKind = fieldKind("pd"); // "date": values are read as ranges of days
 * ```
 */
export type FieldKind = "text" | "class" | "nice" | "country" | "kind" | "date" | "keyword";

/**
 * What the query language knows about one field.
 *
 * @example
 * ```ts
 * const info: FieldInfo = QUERY_FIELDS.ab;
 * console.log(`${info.name}: ${info.description} (also ${info.aliases.join(", ")})`); // "ab: abstract (also abstract)"
 * ```
 */
export interface FieldInfo {
  /** Short, canonical name, written by `formatQuery`. */
  readonly name: string;
  /** Long names accepted in queries as well. */
  readonly aliases: readonly string[];
  /** What the field searches, for error messages and help. */
  readonly description: string;
  /** How values are read. */
  readonly kind: FieldKind;
}

/**
 * The field table of the query language: every field, its aliases and how its values are read.
 *
 * @example
 * ```ts
 * QUERY_FIELDS.ti.description; // "title"
 * ```
 */
export const QUERY_FIELDS = {
  ti: { name: "ti", aliases: ["title"], description: "title", kind: "text" },
  ab: { name: "ab", aliases: ["abstract"], description: "abstract", kind: "text" },
  cl: { name: "cl", aliases: ["claims"], description: "claims", kind: "text" },
  tx: {
    name: "tx",
    aliases: ["text"],
    description: "full text: title, abstract, claims and description",
    kind: "text",
  },
  pa: { name: "pa", aliases: ["applicant", "owner"], description: "applicant or owner", kind: "text" },
  in: { name: "in", aliases: ["inventor"], description: "inventor", kind: "text" },
  ag: { name: "ag", aliases: ["agent"], description: "agent", kind: "text" },
  addr: { name: "addr", aliases: ["address"], description: "addresses of natural persons", kind: "text" },
  ipc: { name: "ipc", aliases: [], description: "IPC class symbol", kind: "class" },
  cpc: { name: "cpc", aliases: [], description: "CPC class symbol", kind: "class" },
  nice: { name: "nice", aliases: [], description: "Nice class, 1 to 45", kind: "nice" },
  cc: { name: "cc", aliases: ["country"], description: "two-letter country or office code", kind: "country" },
  kind: { name: "kind", aliases: [], description: "record kind", kind: "kind" },
  pd: { name: "pd", aliases: ["pubdate"], description: "publication date", kind: "date" },
  ad: { name: "ad", aliases: ["appdate"], description: "application date", kind: "date" },
  id: { name: "id", aliases: [], description: "record id, e.g. CN-112345678-A", kind: "keyword" },
  ds: { name: "ds", aliases: ["dataset"], description: "dataset id", kind: "keyword" },
  fam: { name: "fam", aliases: ["family"], description: "family id", kind: "keyword" },
} as const satisfies Record<string, FieldInfo>;

/**
 * The short name of a query field (`ti`, `pd`, `ipc`).
 *
 * @example
 * ```ts
 * const field: FieldName | undefined = resolveField("pubdate"); // "pd"
 * ```
 */
export type FieldName = keyof typeof QUERY_FIELDS;

/**
 * Every field name, in table order.
 *
 * @example
 * ```ts
 * FIELD_NAMES.slice(0, 3); // ["ti", "ab", "cl"]
 * ```
 */
export const FIELD_NAMES: readonly FieldName[] = Object.keys(QUERY_FIELDS) as FieldName[];

/**
 * The record kinds a `kind:` value may name, as written in queries.
 *
 * They follow the `RecordKind` enum of the protocol, in lower case (`gi` is a geographical
 * indication), and in the enum's order: index `i` is enum value `i + 1`, so keep the two in step.
 *
 * @example
 * ```ts
 * QUERY_RECORD_KINDS.indexOf("trademark") + 1 === RecordKind.RECORD_KIND_TRADEMARK; // true
 * ```
 */
export const QUERY_RECORD_KINDS = [
  "patent",
  "utility_model",
  "design",
  "trademark",
  "gi",
  "ic_layout",
  "legal_event",
  "law",
] as const;

/**
 * A record kind as written in a `kind:` clause.
 *
 * @example
 * ```ts
 * const kind: QueryRecordKind = "utility_model"; // as in `kind:utility_model`
 * ```
 */
export type QueryRecordKind = (typeof QUERY_RECORD_KINDS)[number];

// Lower-cased short names and aliases to short names; built once, looked up per field clause.
const LOOKUP: ReadonlyMap<string, FieldName> = new Map(
  FIELD_NAMES.flatMap((name) => [
    [name, name] as const,
    ...fieldInfo(name).aliases.map((alias) => [alias, name] as const),
  ]),
);

/**
 * Resolves a field name or alias, in any case, to its short name; `undefined` if unknown.
 *
 * @example
 * ```ts
 * resolveField("Title"); // "ti"
 * resolveField("foo"); // undefined
 * ```
 */
export function resolveField(name: string): FieldName | undefined {
  return LOOKUP.get(name.toLowerCase());
}

/**
 * Returns the table entry of a field.
 *
 * @example
 * ```ts
 * fieldInfo("pd"); // { name: "pd", aliases: ["pubdate"], description: "publication date", kind: "date" }
 * ```
 */
export function fieldInfo(field: FieldName): FieldInfo {
  return QUERY_FIELDS[field];
}

/**
 * Tells how a field's values are read.
 *
 * @example
 * ```ts
 * fieldKind("ipc"); // "class"
 * ```
 */
export function fieldKind(field: FieldName): FieldKind {
  return QUERY_FIELDS[field].kind;
}

/**
 * Lists the known fields for an error message: `ti (title), ab (abstract), ...`.
 *
 * Aliases are shown rather than descriptions so the list doubles as a reminder of the long names.
 *
 * @example
 * ```ts
 * describeKnownFields(); // "ti (title), ab (abstract), cl (claims), tx (text), pa (applicant, owner), ..."
 * ```
 */
export function describeKnownFields(): string {
  return FIELD_NAMES.map((name) => {
    const aliases = fieldInfo(name).aliases;
    return aliases.length > 0 ? `${name} (${aliases.join(", ")})` : name;
  }).join(", ");
}
