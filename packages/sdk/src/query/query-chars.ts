/**
 * Maps a code point to the ASCII character the query language reads it as.
 *
 * Chinese input methods type full-width punctuation (`（ ） ： ＂`), curly quotes (`“ ”`) and the
 * ideographic space; reading them as their ASCII forms lets `ti：（石墨烯）` work as typed. Each
 * mapping is one code point to one code point, so positions in the input stay true.
 *
 * @example
 * ```ts
 * String.fromCodePoint(normalizeQueryChar(0xff08)); // "("
 * ```
 */
export function normalizeQueryChar(cp: number): number {
  if (cp >= 0xff01 && cp <= 0xff5e) return cp - 0xfee0; // full-width ASCII forms
  if (cp === 0x3000) return 0x20; // ideographic space
  if (cp === 0x201c || cp === 0x201d) return 0x22; // “ ”
  return cp;
}

/** Tells whether a code point (already normalised) is white space between clauses. */
export function isQuerySpace(cp: number): boolean {
  if (cp <= 0x20) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d);
  return (
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000 ||
    cp === 0xfeff
  );
}

/**
 * Tells whether a code point (already normalised) ends a bare word: white space or one of
 * `( ) " : [ ] { } `.
 */
export function isQueryDelimiter(cp: number): boolean {
  switch (cp) {
    case 0x28: // (
    case 0x29: // )
    case 0x22: // "
    case 0x3a: // :
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
      return true;
    default:
      return isQuerySpace(cp);
  }
}

/** The upper-case words that are operators unless escaped. */
export const QUERY_KEYWORDS: ReadonlySet<string> = new Set(["AND", "OR", "NOT"]);
