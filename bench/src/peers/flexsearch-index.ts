import { Index } from "flexsearch";
import type { QueryNode } from "@ipfed/sdk";
import type { Fts5Row } from "./fts5-index.js";

/** What flexsearch can answer of a query: the index to ask and the words, or why not. */
export type FlexTranslation = { readonly ok: true; readonly field: "free" | "ti" | "ab"; readonly words: string } | { readonly ok: false; readonly reason: string };

const WORD = /^[A-Za-z0-9-]+$/;

/**
 * What flexsearch answers of an ipfed query: an English single term or AND of terms over free
 * text, or one term in `ti:`/`ab:`. Phrases (no positions), ranges, NOT, OR and Chinese
 * (its default encoder does not segment Han) are left out.
 *
 * @example
 * ```ts
 * translateFlex(parseQuery("graphene AND battery")); // { ok: true, field: "free", words: "graphene battery" }
 * ```
 */
export function translateFlex(node: QueryNode): FlexTranslation {
  const word = (n: QueryNode): string | undefined => (n.type === "term" && !n.prefix && WORD.test(n.value) ? n.value.replace(/-/g, " ") : undefined);
  if (node.type === "term") {
    const w = word(node);
    if (w === undefined) return { ok: false, reason: "not an English word" };
    if (node.field === undefined) return { ok: true, field: "free", words: w };
    if (node.field === "ti" || node.field === "ab") return { ok: true, field: node.field, words: w };
    return { ok: false, reason: `no ${node.field} index` };
  }
  if (node.type === "and" && node.children.every((c) => c.type === "term" && c.field === undefined && word(c) !== undefined)) {
    return { ok: true, field: "free", words: node.children.map((c) => word(c)).join(" ") };
  }
  return { ok: false, reason: `${node.type} is not a flexsearch query` };
}

/**
 * Three flexsearch indexes over the benchmark records (free text, titles, abstracts), in
 * memory, with flexsearch's defaults and strict (whole-word) tokens.
 *
 * @example
 * ```ts
 * const flex = new FlexIndexes();
 * flex.add(1, row);
 * flex.search({ ok: true, field: "free", words: "graphene" }, 20);
 * ```
 */
export class FlexIndexes {
  readonly #indexes = {
    free: new Index({ tokenize: "strict" }),
    ti: new Index({ tokenize: "strict" }),
    ab: new Index({ tokenize: "strict" }),
  };

  /** Adds a record's text under `id`. */
  add(id: number, row: Fts5Row): void {
    this.#indexes.free.add(id, [row.ti, row.ab, row.cl, row.tx, row.pa, row.inventor, row.ag].join("\n"));
    this.#indexes.ti.add(id, row.ti);
    this.#indexes.ab.add(id, row.ab);
  }

  /** Ids of up to `limit` matches. */
  search(q: { field: "free" | "ti" | "ab"; words: string }, limit: number): readonly unknown[] {
    return this.#indexes[q.field].search(q.words, { limit }) as unknown[];
  }
}
