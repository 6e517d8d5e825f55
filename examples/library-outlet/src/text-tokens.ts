import { normalizeClassSymbol } from "@ipfed/sdk";

/**
 * English words left out of the index and of queries, the same short list the network's
 * reference index uses, so that a query finds the same records here as there.
 */
const STOP_WORDS: ReadonlySet<string> = new Set([
  "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
  "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
  "they", "this", "to", "was", "will", "with",
]);

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const RUNS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[\p{L}\p{N}\p{M}]+/gu;

/**
 * Splits text into the tokens the FTS5 table holds: NFKC, lower case, words without the stop
 * words, and runs of Chinese, Japanese or Korean as overlapping character pairs (a lone
 * character stays alone), so that a word of two characters or more is found inside longer
 * text without a dictionary. FTS5's `porter unicode61` tokenizer then stems the English words.
 *
 * @example
 * ```ts
 * textTokens("Graphene batteries 石墨烯电池"); // ["graphene", "batteries", "石墨", "墨烯", "烯电", "电池"]
 * ```
 */
export function textTokens(text: string): string[] {
  const out: string[] = [];
  for (const [run] of text.normalize("NFKC").toLowerCase().matchAll(RUNS)) {
    if (CJK.test(run)) {
      const chars = [...run];
      if (chars.length === 1) out.push(run);
      for (let i = 1; i < chars.length; i++) out.push(chars[i - 1]! + chars[i]!);
    } else if (!STOP_WORDS.has(run)) {
      out.push(run);
    }
  }
  return out;
}

/**
 * An FTS5 phrase for a query term or phrase: its tokens in order, quoted, or `undefined` when
 * nothing is left (a stop word alone), in which case the clause is dropped as if not written.
 *
 * @example
 * ```ts
 * ftsPhrase("石墨烯", false); // '"石墨 墨烯"'
 * ftsPhrase("batter", true); // '"batter" *'
 * ```
 */
export function ftsPhrase(value: string, prefix: boolean): string | undefined {
  const tokens = textTokens(value);
  if (tokens.length === 0) return undefined;
  return `"${tokens.join(" ").replaceAll('"', '""')}"${prefix ? " *" : ""}`;
}

const SYMBOL = /^([A-HY])(\d{2})?([A-Z])?(\d{1,4})?(?:\/(\d{1,6}))?$/;

/**
 * The terms an IPC or CPC symbol is found by, one per level of its hierarchy, each tagged with
 * the level's digit: `H01M 10/052` gives `1H`, `2H01`, `3H01M`, `4H01M10`, `5H01M10/052`.
 *
 * @example
 * ```ts
 * classTerms("H01M 10/052 (2010.01)"); // ["1H", "2H01", "3H01M", "4H01M10", "5H01M10/052"]
 * ```
 */
export function classTerms(printed: string): string[] {
  const symbol = normalizeClassSymbol(printed.replace(/\([^)]*\)/g, ""), false);
  const m = symbol === undefined ? null : SYMBOL.exec(symbol);
  if (m === null) return [];
  const out: string[] = [];
  let acc = m[1]!;
  out.push(`1${acc}`);
  for (const [level, part] of [[2, m[2]], [3, m[3]], [4, m[4]]] as const) {
    if (part === undefined) return out;
    acc += part;
    out.push(`${level}${acc}`);
  }
  if (m[5] !== undefined) out.push(`5${acc}/${m[5]}`);
  return out;
}

/**
 * What a class query value looks up: one exact term, or every term of one level that starts
 * with a prefix (`H0*` the classes H01 to H05, `H01M10/*` the subgroups of H01M 10).
 *
 * @example
 * ```ts
 * classLookup("H01M", false); // { exact: "3H01M" }
 * classLookup("H01M10/", true); // { prefix: "5H01M10/" }
 * ```
 */
export function classLookup(value: string, prefix: boolean): { exact: string } | { prefix: string } | undefined {
  if (!prefix) {
    const last = classTerms(value).at(-1);
    return last === undefined ? undefined : { exact: last };
  }
  if (/^[A-HY]$/.test(value)) return { exact: `1${value}` };
  if (/^[A-HY]\d$/.test(value)) return { prefix: `2${value}` };
  if (/^[A-HY]\d{2}$/.test(value)) return { exact: `2${value}` };
  if (/^[A-HY]\d{2}[A-Z]$/.test(value)) return { exact: `3${value}` };
  if (/^[A-HY]\d{2}[A-Z]\d{1,4}$/.test(value)) return { prefix: `4${value}` };
  if (/^[A-HY]\d{2}[A-Z]\d{1,4}\/\d{0,6}$/.test(value)) return { prefix: `5${value}` };
  return undefined;
}
