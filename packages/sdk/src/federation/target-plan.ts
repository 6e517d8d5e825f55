import { MemberKind, RecordKind } from "@ipfed/proto";
import type { FederationScope } from "@ipfed/proto";
import type { QueryNode } from "../query/query-ast.js";
import type { FederationTarget } from "./federation-directory.js";

/**
 * What a query requires of every record it can find: the kinds and offices allowed.
 *
 * @example
 * ```ts
 * const req: QueryRequirements = queryRequirements(parseQuery("kind:patent cc:US"));
 * req.kinds?.has("patent"); // true
 * ```
 */
export interface QueryRequirements {
  /** Record kinds (lower-case query names); undefined when any kind may match. */
  readonly kinds?: ReadonlySet<string>;
  /** Offices (ST.3); undefined when any office may match. */
  readonly countries?: ReadonlySet<string>;
}

const KIND_NAMES: { [name: string]: RecordKind } = {
  patent: RecordKind.RECORD_KIND_PATENT,
  utility_model: RecordKind.RECORD_KIND_UTILITY_MODEL,
  design: RecordKind.RECORD_KIND_DESIGN,
  trademark: RecordKind.RECORD_KIND_TRADEMARK,
  gi: RecordKind.RECORD_KIND_GEOGRAPHICAL_INDICATION,
  ic_layout: RecordKind.RECORD_KIND_IC_LAYOUT,
  legal_event: RecordKind.RECORD_KIND_LEGAL_EVENT,
  law: RecordKind.RECORD_KIND_LAW,
};

function valuesOf(node: QueryNode, field: string): Set<string> | undefined {
  if (node.type === "term" && node.field === field && !node.prefix) return new Set([node.value.toLowerCase()]);
  if (node.type === "or") {
    const out = new Set<string>();
    for (const c of node.children) {
      const v = valuesOf(c, field);
      if (!v) return undefined;
      for (const x of v) out.add(x);
    }
    return out;
  }
  return undefined;
}

/**
 * Reads from a parsed query what every match must have: `kind:` and `cc:` clauses that the
 * whole query requires (at the top level, or in a conjunction). Anything less certain
 * requires nothing, so a member is never skipped wrongly.
 *
 * @example
 * ```ts
 * queryRequirements(parseQuery("kind:trademark AND cc:cn AND ti:tea")); // { kinds: Set {"trademark"}, countries: Set {"CN"} }
 * ```
 */
export function queryRequirements(query: QueryNode): QueryRequirements {
  const clauses = query.type === "and" ? query.children : [query];
  let kinds: Set<string> | undefined;
  let countries: Set<string> | undefined;
  for (const c of clauses) {
    const k = valuesOf(c, "kind");
    if (k) kinds = kinds ? new Set([...kinds].filter((x) => k.has(x))) : k;
    const cc = valuesOf(c, "cc");
    if (cc) countries = countries ? new Set([...countries].filter((x) => cc.has(x))) : cc;
  }
  return { ...(kinds ? { kinds } : {}), ...(countries ? { countries: new Set([...countries].map((x) => x.toUpperCase())) } : {}) };
}

/**
 * Why a target is not asked, or undefined when it is.
 *
 * @example
 * ```ts
 * skipReason(target, queryRequirements(query), request.scope, new Set(request.visited)); // e.g. "already visited by this query"
 * ```
 */
export function skipReason(target: FederationTarget, req: QueryRequirements, scope: FederationScope | undefined, visited: ReadonlySet<string>): string | undefined {
  if (visited.has(target.id)) return "already visited by this query";
  if (scope?.memberIds.length && !scope.memberIds.includes(target.id)) return "not in the query's member scope";
  if (scope?.kinds.length && !scope.kinds.includes(target.kind)) return `member kind ${MemberKind[target.kind] ?? target.kind} is out of scope`;
  if (scope?.regions.length && !scope.regions.some((r) => target.region.startsWith(r))) return `region ${target.region} is out of scope`;
  const cat = target.catalogue;
  if (!cat) return undefined;
  if (cat.recordCount === 0 && cat.datasetCount > 0) return "its catalogue holds no records";
  if (req.kinds && cat.kinds.length && ![...req.kinds].some((k) => KIND_NAMES[k] !== undefined && cat.kinds.includes(KIND_NAMES[k]!))) {
    return `its catalogue holds no ${[...req.kinds].join(" or ")} records`;
  }
  if (req.countries && cat.countries.length && ![...req.countries].some((c) => cat.countries.includes(c))) {
    return `its catalogue covers no ${[...req.countries].join(" or ")} records`;
  }
  return undefined;
}
