import { APOSTROPHE, charClass, CJK, MARK, WORD } from "./char-class.js";
import { stemEnglish } from "./english-stemmer.js";

/**
 * The version of the analysis rules. An index records the version it was built with and is
 * rebuilt when it differs, so bump it whenever `analyze` may return different tokens for any
 * input (a new stop word, a stemmer fix, a new script rule).
 */
export const ANALYZER_VERSION = 1;

/**
 * The English stop words removed from the index: Lucene's classic list. Kept small on purpose,
 * since in patent text words like "first" or "between" carry meaning.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
  "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
  "they", "this", "to", "was", "will", "with",
]);

/** Options of `analyzeQueryTerm`. */
export interface AnalyzeQueryTermOptions {
  /**
   * The term ends with `*`: its last token is returned as typed (folded but neither stemmed nor
   * dropped as a stop word), to be matched as a prefix of indexed tokens.
   */
  prefix?: boolean;
}

/**
 * Splits a text into the tokens the search index stores, in order and with repeats, so that
 * term frequencies and phrase positions can be taken from the array.
 *
 * The text is NFKC-normalised and case-folded. Runs of letters and digits (of any script written
 * with spaces) become words: English stop words are dropped and words of plain letters a-z are
 * stemmed with Porter2. Runs of Han, kana and Hangul become overlapping bigrams (a lone
 * character stays a unigram), so a word of two or more characters is found inside longer text
 * without a dictionary. A change of script ends a run.
 *
 * @example
 * ```ts
 * analyze("Lithium batteries with 石墨烯电池");
 * // ["lithium", "batteri", "石墨", "墨烯", "烯电", "电池"]
 * ```
 */
export function analyze(text: string): string[] {
  const out: string[] = [];
  tokenize(fold(text), out, false);
  return out;
}

/**
 * Returns the tokens a query term or phrase must match: all of them, at consecutive positions,
 * as a phrase. It analyses exactly as `analyze` does, so a query finds what the index stored.
 *
 * @example
 * ```ts
 * analyzeQueryTerm("石墨烯"); // ["石墨", "墨烯"]: matches inside "石墨烯电池"
 * analyzeQueryTerm("Running"); // ["run"]
 * analyzeQueryTerm("batter", { prefix: true }); // ["batter"], to match "batteri" as a prefix
 * ```
 */
export function analyzeQueryTerm(value: string, options: AnalyzeQueryTermOptions = {}): string[] {
  if (options.prefix !== true) return analyze(value);
  const raw: string[] = [];
  tokenize(fold(value), raw, true);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const token = raw[i] as string;
    if (i === raw.length - 1) out.push(token.includes("'") ? stripApostrophes(token) : token);
    else emitWord(token, isPlainLatin(token), out);
  }
  return out;
}

function fold(text: string): string {
  let s = text.normalize("NFKC").toLowerCase();
  // toLowerCase is simple case mapping; these are the full case folds that matter in practice.
  if (s.includes("ß")) s = s.replaceAll("ß", "ss");
  if (s.includes("ς")) s = s.replaceAll("ς", "σ");
  return s;
}

/**
 * One pass over the code points of folded text. With `raw`, words are pushed as they are (for
 * prefix queries), otherwise through stop words and the stemmer.
 */
function tokenize(s: string, out: string[], raw: boolean): void {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const cp = s.codePointAt(i) as number;
    const cls = charClass(cp);
    if (cls === WORD) {
      const start = i;
      let latin = cp >= 0x61 && cp <= 0x7a;
      let apostrophe = false;
      i += cp > 0xffff ? 2 : 1;
      while (i < n) {
        const c = s.codePointAt(i) as number;
        const k = charClass(c);
        if (k === WORD || k === MARK) {
          latin &&= c >= 0x61 && c <= 0x7a;
          i += c > 0xffff ? 2 : 1;
        } else if (k === APOSTROPHE && i + 1 < n && charClass(s.codePointAt(i + 1) as number) === WORD) {
          apostrophe = true;
          i += 1;
        } else {
          break;
        }
      }
      let word = s.slice(start, i);
      if (apostrophe) word = word.replaceAll("’", "'");
      if (raw) out.push(word);
      else emitWord(word, latin, out);
    } else if (cls === CJK) {
      // Overlapping bigrams: each character with the next one, in a single pass.
      let prev = i;
      let count = 0;
      while (i < n) {
        const c = s.codePointAt(i) as number;
        if (charClass(c) !== CJK) break;
        const next = i + (c > 0xffff ? 2 : 1);
        if (count > 0) out.push(s.slice(prev, next));
        prev = i;
        i = next;
        count++;
      }
      if (count === 1) out.push(s.slice(prev, i));
    } else {
      i += cp > 0xffff ? 2 : 1;
    }
  }
}

function emitWord(word: string, latin: boolean, out: string[]): void {
  if (ENGLISH_STOP_WORDS.has(word)) return;
  if (!latin) {
    out.push(word.includes("'") ? stripApostrophes(word) : word);
    return;
  }
  const stem = stemCached(word);
  out.push(stem.includes("'") ? stripApostrophes(stem) : stem);
}

function isPlainLatin(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if ((c < 0x61 || c > 0x7a) && c !== 0x27) return false;
  }
  return true;
}

function stripApostrophes(word: string): string {
  return word.replaceAll("'", "");
}

// Text repeats its words, so stems are cached; the cache is simply emptied when full, which
// keeps memory bounded at the cost of a few recomputations.
const STEM_CACHE_SIZE = 65_536;
const stemCache = new Map<string, string>();

function stemCached(word: string): string {
  let stem = stemCache.get(word);
  if (stem === undefined) {
    if (stemCache.size >= STEM_CACHE_SIZE) stemCache.clear();
    stem = stemEnglish(word);
    stemCache.set(word, stem);
  }
  return stem;
}
