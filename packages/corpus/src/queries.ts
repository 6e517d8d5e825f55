// Sample queries over the corpus vocabulary, in the ipfed query language: bare terms, AND / OR /
// NOT, "phrases", field clauses (ti:, ab:, pa:, in:, ipc:) and publication-date ranges
// (pd:[2015 TO 2018]). Terms are drawn with the same domain weights and Zipf ranks as the
// records, so common terms are queried often and match many records, rare ones match few.

import { chineseCompany, chineseName, chineseUniversity, foreignCompany, foreignPersonName } from "./names.js";
import { checkSeed } from "./options.js";
import type { Rng } from "./prng.js";
import { seedWords, WeightedTable, zipfRank } from "./prng.js";
import { STREAM, streamRng } from "./streams.js";
import type { Domain, Term } from "./vocabulary.js";
import { DOMAIN_TABLE } from "./vocabulary.js";

/** Options of {@link sampleQueries}. */
export interface SampleQueryOptions {
  /** Seed of the queries, any safe integer; default 1. Independent of the corpus seed. */
  readonly seed?: number;
  /** Number of queries, 0 or more. */
  readonly count: number;
  /** Language of the terms: `zh`, `en`, or `both` (each query one or the other; default). */
  readonly lang?: "zh" | "en" | "both";
}

type Shape = "term" | "and" | "or" | "not" | "phrase" | "title" | "abstract" | "applicant" | "inventor" | "ipc" | "range" | "title-range";

const SHAPES = new WeightedTable<Shape>(
  ["term", "and", "or", "not", "phrase", "title", "abstract", "applicant", "inventor", "ipc", "range", "title-range"],
  [22, 18, 6, 4, 12, 10, 4, 8, 3, 6, 3, 4],
);

/** A term as written in a query: bare if it is one word, quoted otherwise. */
function written(text: string): string {
  return /^[\p{L}\p{N}-]+$/u.test(text) ? text : `"${text}"`;
}

function keyword(rng: Rng, domain: Domain, zh: boolean): string {
  const t: Term = rng.weighted(domain.keywords);
  return zh ? t[0] : t[1];
}

/** A phrase that occurs in titles: a material, device or process of the domain. */
function phrase(rng: Rng, domain: Domain, zh: boolean): string {
  const u = rng.float();
  const table = u < 0.4 && domain.materials !== undefined ? domain.materials : u < 0.7 ? domain.devices : domain.processes;
  const t = rng.weighted(table);
  return zh ? t[0] : t[1];
}

function yearRange(rng: Rng): string {
  const from = rng.range(2002, 2022);
  return `pd:[${from} TO ${Math.min(2024, from + rng.range(0, 5))}]`;
}

/** The name a searcher would type for an applicant that files in the domain. */
function applicantName(rng: Rng, domain: Domain, zh: boolean): string {
  if (!zh) return foreignCompany(rng.pick(["US", "JP", "DE", "KR"]), domain.index, zipfRank(rng, 60)).searchName;
  if (rng.chance(0.7)) return chineseCompany(domain.data.industries, domain.index, zipfRank(rng, 200)).searchName;
  return chineseUniversity(domain.data, domain.index, zipfRank(rng, 40)).searchName;
}

function query(rng: Rng, zh: boolean): string {
  const domain = rng.weighted(DOMAIN_TABLE);
  const shape = rng.weighted(SHAPES);
  const a = keyword(rng, domain, zh);
  let b = keyword(rng, domain, zh);
  if (b === a || b.includes(a) || a.includes(b)) b = keyword(rng, rng.weighted(DOMAIN_TABLE), zh);
  switch (shape) {
    case "term":
      return written(a);
    case "and":
      return `${written(a)} AND ${written(b)}`;
    case "or":
      return `${written(a)} OR ${written(b)}`;
    case "not":
      return `${written(a)} NOT ${written(b)}`;
    case "phrase":
      return `"${phrase(rng, domain, zh)}"`;
    case "title":
      return `ti:${written(a)}`;
    case "abstract":
      return `ab:${written(a)}`;
    case "applicant":
      return `pa:${written(applicantName(rng, domain, zh))}`;
    case "inventor":
      return `in:${written(zh ? chineseName(rng) : (foreignPersonName(rng, rng.pick(["US", "JP", "DE"])).split(",")[0] as string))}`;
    case "ipc":
      return `ipc:${(rng.weighted(domain.ipc)[0] as string).slice(0, 4)}`;
    case "range":
      return `${written(a)} AND ${yearRange(rng)}`;
    case "title-range":
      return `ti:${written(a)} AND ${yearRange(rng)}`;
  }
}

/**
 * Realistic query strings over the corpus vocabulary: single terms (`石墨烯`), two-term AND,
 * OR and NOT (`石墨烯 AND 电池`), phrases (`"solid electrolyte"`), field clauses (`ti:graphene`,
 * `pa:华锐`, `ipc:H01M`) and date ranges (`pd:[2015 TO 2018]`). Query `k` depends only on the
 * seed, `k` and `lang`.
 *
 * @example
 * ```ts
 * sampleQueries({ count: 3, lang: "zh" }); // e.g. ["锂离子 AND 隔膜", "ti:石墨烯", "pa:华锐"]
 * ```
 * @throws RangeError for a bad seed or count, TypeError for a bad lang.
 */
export function sampleQueries(options: SampleQueryOptions): string[] {
  const seed = checkSeed(options.seed ?? 1);
  const { count } = options;
  const lang = options.lang ?? "both";
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${String(count)}`);
  }
  if (lang !== "zh" && lang !== "en" && lang !== "both") {
    throw new TypeError(`lang must be "zh", "en" or "both", got ${String(lang)}`);
  }
  const [seedLo, seedHi] = seedWords(seed);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const rng = streamRng({ seedLo, seedHi }, STREAM.queries, k);
    const zh = lang === "both" ? rng.chance(0.5) : lang === "zh";
    out.push(query(rng, zh));
  }
  return out;
}
