/**
 * Character classes for the analyzer, looked up from a table instead of tested with a regular
 * expression per character.
 */

/** Ends a token: spaces, punctuation, symbols. */
export const SEPARATOR = 0;
/** Letter or digit of a script written with spaces between words (Latin, Cyrillic, Greek...). */
export const WORD = 1;
/** Letter of a script written without spaces and indexed as bigrams (Han, kana, Hangul). */
export const CJK = 2;
/** A combining mark: part of the word it follows. */
export const MARK = 3;
/** An apostrophe (' or ’): part of a word only between two letters (`battery's`). */
export const APOSTROPHE = 4;

/** One of the class constants above. */
export type CharClass = typeof SEPARATOR | typeof WORD | typeof CJK | typeof MARK | typeof APOSTROPHE;

const WORD_RE = /[\p{L}\p{N}]+/gu;
const MARK_RE = /\p{M}+/gu;
// Script extensions, so marks shared by the kana (ー) count as kana.
const CJK_RE = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]+/gu;
const ASTRAL_WORD = /^[\p{L}\p{N}]$/u;
const ASTRAL_MARK = /^\p{M}$/u;

/**
 * The class of every BMP code point. Built once, from one pass of each regular expression over a
 * string of all BMP code points, which takes a few milliseconds at start-up.
 */
const BMP: Uint8Array = buildTable();

function buildTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  // Every BMP code point but the surrogates, so string index i is code point i, or i + 0x800
  // past the surrogate block.
  const codes: number[] = [];
  for (let cp = 0; cp < 0x10000; cp++) if (cp < 0xd800 || cp > 0xdfff) codes.push(cp);
  let all = "";
  for (let i = 0; i < codes.length; i += 4096) all += String.fromCharCode(...codes.slice(i, i + 4096));
  const mark = (re: RegExp, cls: CharClass, keep?: (cp: number) => boolean): void => {
    for (const m of all.matchAll(re)) {
      const start = m.index;
      for (let i = start; i < start + m[0].length; i++) {
        const cp = i < 0xd800 ? i : i + 0x800;
        if (keep === undefined || keep(cp)) table[cp] = cls;
      }
    }
  };
  mark(WORD_RE, WORD);
  mark(MARK_RE, MARK);
  // Only the letters of the CJK scripts: their radicals and strokes are symbols, not words.
  mark(CJK_RE, CJK, (cp) => table[cp] === WORD);
  table[0x27] = APOSTROPHE;
  table[0x2019] = APOSTROPHE;
  return table;
}

/**
 * Returns the analyzer class of a code point.
 *
 * @example
 * ```ts
 * charClass(0x77f3) === CJK; // 石
 * charClass(0x61) === WORD; // a
 * ```
 */
export function charClass(cp: number): CharClass {
  if (cp < 0x10000) return BMP[cp] as CharClass;
  // CJK Unified Ideographs extensions B to H, and the compatibility supplement.
  if (cp >= 0x20000 && cp <= 0x323af) return CJK;
  // Elsewhere above the BMP (emoji, historic scripts) text is rare enough to test directly.
  const ch = String.fromCodePoint(cp);
  if (ASTRAL_WORD.test(ch)) return WORD;
  return ASTRAL_MARK.test(ch) ? MARK : SEPARATOR;
}
