import { sampleQueries } from "@ipfed/corpus";
import { parseQuery } from "@ipfed/sdk";
import type { QueryNode } from "@ipfed/sdk";

/** Seed of the benchmark queries (independent of the corpus seed). */
export const QUERY_SEED = 3;

/** The shapes the report groups queries by. */
export const QUERY_SHAPES = ["single term", "2-term AND", "phrase", "field", "OR / NOT"] as const;
/** A query shape. */
export type QueryShape = (typeof QUERY_SHAPES)[number];

/** One benchmark query: its text, parsed form, shape and language. */
export interface BenchQuery {
  readonly text: string;
  readonly parsed: QueryNode;
  readonly shape: QueryShape;
  readonly lang: "en" | "zh";
}

function shapeOf(node: QueryNode): QueryShape {
  const fielded = (n: QueryNode): boolean =>
    n.type === "range" || ((n.type === "term" || n.type === "phrase") && n.field !== undefined) || (n.type === "and" && n.children.some(fielded));
  if (fielded(node)) return "field";
  if (node.type === "term") return "single term";
  if (node.type === "phrase") return "phrase";
  if (node.type === "and" && node.children.length === 2 && node.children.every((c) => c.type === "term" || c.type === "phrase")) return "2-term AND";
  return "OR / NOT";
}

/**
 * The benchmark's queries: `count` sample queries of the corpus generator (half English, half
 * Chinese: single terms, ANDs, ORs, NOTs, phrases, field clauses, date ranges), parsed and
 * grouped by shape. Every engine answers the same list.
 *
 * @example
 * ```ts
 * benchQueries(1000).filter((q) => q.shape === "phrase" && q.lang === "zh").length;
 * ```
 */
export function benchQueries(count: number): BenchQuery[] {
  return sampleQueries({ count, seed: QUERY_SEED, lang: "both" }).map((text) => {
    const parsed = parseQuery(text);
    return { text, parsed, shape: shapeOf(parsed), lang: /\p{Script=Han}/u.test(text) ? "zh" : "en" };
  });
}

/**
 * A query's group in the report: shape and language, `single term (zh)`.
 *
 * @example
 * ```ts
 * groupOf(benchQueries(1)[0]!); // e.g. "2-term AND (en)"
 * ```
 */
export function groupOf(q: BenchQuery): string {
  return `${q.shape} (${q.lang})`;
}

/** Every group in report order. */
export const QUERY_GROUPS: readonly string[] = QUERY_SHAPES.flatMap((s) => [`${s} (en)`, `${s} (zh)`]);
